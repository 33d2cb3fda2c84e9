import { z } from "zod";
import { listEvents } from "@/lib/audit/events";
import { requireUser } from "@/lib/auth/require-user";
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
  before: z.iso.datetime({ error: "must be an ISO date-time" }).optional(),
});

export const GET = route(async (request) => {
  const user = await requireUser(request);
  const { limit, before } = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  return ok({ events: await listEvents(user.id, limit, before ? new Date(before) : undefined) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
