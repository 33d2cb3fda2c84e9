// What administrators may do: see accounts with their job counts and status,
// and disable an account. Never another person's prompts or images: counts run
// as `darkroom_admin`, whose column grants expose only owner and status.
import "server-only";
import { asc, gt, inArray, sql } from "drizzle-orm";
import { asAdmin } from "@/db/client";
import { imageJobs, users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { revokeAllCredentials } from "@/lib/auth/revocation";
import { AppError } from "@/lib/http/errors";
import { isUuid } from "@/lib/ids";

export async function listUsers(limit: number, afterId?: string) {
  if (afterId !== undefined && !isUuid(afterId)) throw new AppError("bad_request", 'Invalid field "cursor": not a cursor returned by this API');
  // darkroom_admin's column grants on users leave out password hashes.
  const accounts = await asAdmin((tx) =>
    tx
      .select({ id: users.id, email: users.email, createdAt: users.createdAt, disabledAt: users.disabledAt })
      .from(users)
      .where(afterId ? gt(users.id, afterId) : undefined)
      .orderBy(asc(users.id))
      .limit(limit + 1),
  );
  const page = accounts.slice(0, limit);
  const ids = page.map((a) => a.id);
  const counts = ids.length
    ? await asAdmin((tx) =>
        tx
          .select({ userId: imageJobs.userId, status: imageJobs.status, n: sql<number>`count(*)::int` })
          .from(imageJobs)
          .where(inArray(imageJobs.userId, ids))
          .groupBy(imageJobs.userId, imageJobs.status),
      )
    : [];
  return {
    users: page.map((a) => {
      const mine = counts.filter((c) => c.userId === a.id);
      const byStatus = Object.fromEntries(["queued", "processing", "completed", "failed"].map((s) => [s, mine.find((c) => c.status === s)?.n ?? 0]));
      return {
        id: a.id,
        email: a.email,
        status: a.disabledAt ? "disabled" : "active",
        created_at: a.createdAt.toISOString(),
        jobs: { total: mine.reduce((sum, c) => sum + c.n, 0), ...byStatus },
      };
    }),
    next_cursor: accounts.length > limit ? page.at(-1)!.id : null,
  };
}

export async function disableUser(adminId: string, targetId: string, address: string | null): Promise<void> {
  if (!isUuid(targetId)) throw new AppError("not_found", "User not found");
  if (targetId.toLowerCase() === adminId) throw new AppError("conflict", "You cannot disable your own account");
  if (!(await revokeAllCredentials(targetId, { disable: true }))) throw new AppError("not_found", "User not found");
  await recordEvent(targetId, "account_disabled_by_admin", { admin_id: adminId }, address);
}
