// What a request for the activity log may contain (GET /api/account/activity).
import { z } from "zod";
import { pageLimit } from "@/lib/page";

export const listActivityInput = z.object({
  limit: pageLimit(50),
  before: z.iso.datetime({ error: "must be an ISO date-time" }).optional(),
});
export type ListActivityInput = z.infer<typeof listActivityInput>;
