// Data access for image jobs. Every function takes the owner's id, runs inside
// `withUser` (RLS-scoped transaction) and also filters on `user_id` in SQL:
// two walls. There is deliberately no way to load a job by its id alone.
import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Tx, withUser } from "@/db/client";
import { imageJobs, type JobRow } from "@/db/schema";

type Owned = { userId: string; jobId: string };

const own = ({ userId, jobId }: Owned) => and(eq(imageJobs.id, jobId), eq(imageJobs.userId, userId));

export async function insertJob(input: {
  userId: string;
  prompt: string;
  style: string;
  quality: string;
  model: string;
  idempotencyKey: string | null;
}): Promise<{ job: JobRow; created: boolean }> {
  return withUser(input.userId, async (tx) => {
    const [inserted] = await tx.insert(imageJobs).values(input).onConflictDoNothing().returning();
    if (inserted) return { job: inserted, created: true };
    // Only an idempotency-key conflict can land here (ids are server-generated).
    const [existing] = await tx
      .select()
      .from(imageJobs)
      .where(and(eq(imageJobs.userId, input.userId), eq(imageJobs.idempotencyKey, input.idempotencyKey ?? "")));
    if (!existing) throw new Error("insert conflicted without an existing job");
    return { job: existing, created: false };
  });
}

export async function findJob(owned: Owned): Promise<JobRow | undefined> {
  return withUser(owned.userId, async (tx) => (await tx.select().from(imageJobs).where(own(owned)))[0]);
}

export type Cursor = { createdAt: Date; id: string };

export async function listJobs(input: { userId: string; limit: number; after?: Cursor; status?: JobRow["status"]; style?: string }): Promise<JobRow[]> {
  return withUser(input.userId, (tx) =>
    tx
      .select()
      .from(imageJobs)
      .where(
        and(
          eq(imageJobs.userId, input.userId),
          input.status ? eq(imageJobs.status, input.status) : undefined,
          input.style ? eq(imageJobs.style, input.style) : undefined,
          // Keyset pagination: constant cost however deep the page.
          input.after
            ? sql`(${imageJobs.createdAt}, ${imageJobs.id}) < (${input.after.createdAt.toISOString()}::timestamptz, ${input.after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(imageJobs.createdAt), desc(imageJobs.id))
      .limit(input.limit),
  );
}

// failed → queued, atomically; undefined when the job is not (or no longer) failed.
export async function requeueFailedJob(owned: Owned): Promise<JobRow | undefined> {
  return withUser(owned.userId, async (tx) => {
    const [row] = await tx
      .update(imageJobs)
      .set({ status: "queued", error: null, updatedAt: sql`now()`, completedAt: null, startedAt: null })
      .where(and(own(owned), eq(imageJobs.status, "failed")))
      .returning();
    return row;
  });
}

export async function deleteJob(owned: Owned): Promise<JobRow | undefined> {
  return withUser(owned.userId, async (tx) => (await tx.delete(imageJobs).where(own(owned)).returning())[0]);
}

// queued → processing, atomically: of two deliveries of the same job only one claims it.
export async function claimJob(owned: Owned): Promise<JobRow | undefined> {
  return withUser(owned.userId, async (tx) => {
    const [row] = await tx
      .update(imageJobs)
      .set({ status: "processing", startedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(own(owned), eq(imageJobs.status, "queued")))
      .returning();
    return row;
  });
}

// Counts one generation attempt; undefined if the job is no longer processing (deleted, failed).
export async function recordAttempt(owned: Owned): Promise<JobRow | undefined> {
  return withUser(owned.userId, async (tx) => {
    const [row] = await tx
      .update(imageJobs)
      .set({ attempts: sql`${imageJobs.attempts} + 1`, updatedAt: sql`now()` })
      .where(and(own(owned), eq(imageJobs.status, "processing")))
      .returning();
    return row;
  });
}

export async function completeJob(
  owned: Owned,
  result: { imageKey: string; thumbnailKey: string; contentType: string; width: number; height: number },
): Promise<boolean> {
  return withUser(owned.userId, async (tx) => {
    const rows = await tx
      .update(imageJobs)
      .set({ ...result, status: "completed", error: null, completedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(own(owned), eq(imageJobs.status, "processing")))
      .returning({ id: imageJobs.id });
    return rows.length === 1;
  });
}

export async function failJob(owned: Owned, error: string): Promise<boolean> {
  return withUser(owned.userId, async (tx) => {
    const rows = await tx
      .update(imageJobs)
      .set({ status: "failed", error, updatedAt: sql`now()` })
      .where(and(own(owned), inArray(imageJobs.status, ["queued", "processing"])))
      .returning({ id: imageJobs.id });
    return rows.length === 1;
  });
}

// After a crash: put this person's interrupted jobs back in the queue.
export async function requeueInterruptedJobs(userId: string): Promise<string[]> {
  return withUser(userId, async (tx: Tx) => {
    await tx
      .update(imageJobs)
      .set({ status: "queued", updatedAt: sql`now()` })
      .where(and(eq(imageJobs.userId, userId), eq(imageJobs.status, "processing")));
    const rows = await tx
      .select({ id: imageJobs.id })
      .from(imageJobs)
      .where(and(eq(imageJobs.userId, userId), eq(imageJobs.status, "queued")))
      .orderBy(imageJobs.createdAt);
    return rows.map((r) => r.id);
  });
}
