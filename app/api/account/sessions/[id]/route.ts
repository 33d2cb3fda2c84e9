import { recordEvent } from "@/lib/audit/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { endSession } from "@/lib/auth/sessions";
import { NotFoundError } from "@/lib/errors";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Signs one browser out. Someone else's session, an ended one and a made-up id
// all get the same 404.
export const DELETE = route(async (request, { params }: RouteContext<"/api/account/sessions/[id]">) => {
  const user = await requireUser(request);
  const { id } = await params;
  if (!(await endSession(user.id, id))) throw new NotFoundError("Session not found");
  await recordEvent(user.id, "session_ended", { session_id: id }, clientAddress(request));
  return ok(null, { message: "Signed out" });
});

export const { GET, POST, PUT, PATCH } = methodNotAllowed("DELETE");
