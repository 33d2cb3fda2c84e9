import { listActivityInput } from "@/lib/audit/input";
import { listActivity } from "@/lib/audit/service";
import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { parseQuery } from "@/lib/http/query";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  const input = parseQuery(request, listActivityInput);
  return ok(await listActivity(user.id, input));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
