import { z } from "zod";
import { listUsers } from "@/lib/admin/service";
import { requireAdmin } from "@/lib/auth/require-user";
import { parseWith } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

const querySchema = z.object({
  limit: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(50),
  cursor: z.string().max(100).optional(),
});

export const GET = route(async (request) => {
  await requireAdmin(request);
  const { limit, cursor } = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  return ok(await listUsers(limit, cursor));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
