import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { listModels } from "@/lib/models/service";

// The models the caller may use, with what each can do; restricted ones are left out.
export const GET = route(async (request) => {
  const user = await requireUser(request, "any");
  return ok(await listModels(user));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
