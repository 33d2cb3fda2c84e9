import { listUsersInput } from "@/lib/admin/input";
import { listUsers } from "@/lib/admin/service";
import { requireAdmin } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { parseQuery } from "@/lib/http/query";

export const GET = route(async (request) => {
  await requireAdmin(request);
  const { limit, cursor } = parseQuery(request, listUsersInput);
  return ok(await listUsers(limit, cursor));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
