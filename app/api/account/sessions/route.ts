import { requireUser } from "@/lib/auth/require-user";
import { listSessions } from "@/lib/auth/sessions";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// The person's signed-in browsers (API tokens are not sessions).
export const GET = route(async (request) => {
  const user = await requireUser(request);
  return ok({ sessions: await listSessions(user.id, user.sessionId) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
