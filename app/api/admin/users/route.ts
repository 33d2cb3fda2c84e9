import { z } from "zod";
import { listUsers } from "@/lib/admin/service";
import { requireAdmin } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { pageLimit, parseQuery } from "@/lib/http/query";

const querySchema = z.object({
  limit: pageLimit(50),
  cursor: z.string().max(100).optional(),
});

export const GET = route(async (request) => {
  await requireAdmin(request);
  const { limit, cursor } = parseQuery(request, querySchema);
  return ok(await listUsers(limit, cursor));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
