// Data access for administrators, as `darkroom_admin`: its column grants expose
// accounts without password hashes, and of jobs only owner and status, never
// prompts or images.
import "server-only";
import { asc, gt, inArray, sql } from "drizzle-orm";
import { asAdmin } from "@/db/client";
import { imageJobs, type JobRow, users } from "@/db/schema";

export type AccountRow = { id: string; email: string; createdAt: Date; disabledAt: Date | null };

// Keyset by id: `limit` accounts after `afterId`.
export async function listAccounts(input: { limit: number; afterId?: string }): Promise<AccountRow[]> {
  return asAdmin((tx) =>
    tx
      .select({ id: users.id, email: users.email, createdAt: users.createdAt, disabledAt: users.disabledAt })
      .from(users)
      .where(input.afterId ? gt(users.id, input.afterId) : undefined)
      .orderBy(asc(users.id))
      .limit(input.limit),
  );
}

export async function countJobsByOwner(userIds: string[]): Promise<{ userId: string; status: JobRow["status"]; n: number }[]> {
  if (userIds.length === 0) return [];
  return asAdmin((tx) =>
    tx
      .select({ userId: imageJobs.userId, status: imageJobs.status, n: sql<number>`count(*)::int` })
      .from(imageJobs)
      .where(inArray(imageJobs.userId, userIds))
      .groupBy(imageJobs.userId, imageJobs.status),
  );
}
