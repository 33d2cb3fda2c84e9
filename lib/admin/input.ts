// What an administrator's request may contain (GET /api/admin/users).
import { z } from "zod";
import { pageLimit } from "@/lib/page";

export const listUsersInput = z.object({
  limit: pageLimit(50),
  cursor: z.string().max(100).optional(),
});
export type ListUsersInput = z.infer<typeof listUsersInput>;
