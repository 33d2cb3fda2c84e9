import { z } from "zod";
import { listEvents } from "@/lib/audit/events";
import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { pageLimit, parseQuery } from "@/lib/http/query";

const querySchema = z.object({
  limit: pageLimit(50),
  before: z.iso.datetime({ error: "must be an ISO date-time" }).optional(),
});

export const GET = route(async (request) => {
  const user = await requireUser(request);
  const { limit, before } = parseQuery(request, querySchema);
  return ok({ events: await listEvents(user.id, limit, before ? new Date(before) : undefined) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
