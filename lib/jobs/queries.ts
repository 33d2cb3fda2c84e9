// Data access for image jobs. Every function takes the owner's id, runs inside
// `withUser` (RLS-scoped transaction) and also filters on `user_id` in SQL:
// two walls. There is deliberately no way to load a job by its id alone.
import "server-only";
import { and, eq, inArray, notInArray, type SQLWrapper, sql } from "drizzle-orm";
import { inOrder, ownReader, readAsUser, type ScopedReader, type Tx, withUser } from "@/db/client";
import { prebuilt } from "@/db/prebuilt";
import { imageJobs, type JobRow, jobImages } from "@/db/schema";
import { type ImageWithFavourite, imagesOfJobsQuery } from "@/lib/images/queries";
import { newestFirst } from "./list";
import type { JobSettings } from "./settings";
import { UNFINISHED_STATUSES } from "./statuses";

type Owned = { userId: string; jobId: string };

// A job that is not rendering has no progress to show.
const noProgress = { progressStep: null, progressSteps: null, previewKey: null };

const own = ({ userId, jobId }: { userId: string | SQLWrapper; jobId: string | SQLWrapper }) => and(eq(imageJobs.id, jobId), eq(imageJobs.userId, userId));

export type Limits = { maxActive: number; dailyQuota: number };
export type InsertOutcome =
  | { kind: "created" | "existing"; job: JobRow }
  | { kind: "too_many_active"; active: number }
  | { kind: "daily_quota"; retryAfterSeconds: number };

// Serialises one person's job creations so two requests cannot both slip under a limit.
const lockOwner = (tx: Tx, userId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${userId}::text, 7))`);

const activeCountQuery = (tx: Tx, userId: string) =>
  tx
    .select({ n: sql<number>`count(*)::int` })
    .from(imageJobs)
    .where(and(eq(imageJobs.userId, userId), inArray(imageJobs.status, UNFINISHED_STATUSES)));

async function activeCount(tx: Tx, userId: string): Promise<number> {
  const [row] = await activeCountQuery(tx, userId);
  return row?.n ?? 0;
}

export async function insertJob(input: JobSettings & { userId: string; idempotencyKey: string | null }, limits: Limits): Promise<InsertOutcome> {
  // Rolling 24 hours, counted in units (images × the model's cost). Walking
  // the window newest first, the first job at which the running total leaves
  // no room for this request is the one whose ageing-out frees enough: the
  // person may ask again 24 hours after it was created. With one unit per
  // job this is the quota-th newest job, as before.
  const room = limits.dailyQuota - input.units;
  return withUser(input.userId, async (tx) => {
    // The lock and every read the decision needs go out together, in this
    // order (db/client.ts `inOrder`): the database runs them in turn, so the
    // reads run only once the lock is held and see every job created before
    // it. One round trip for all four.
    const [, existing, [active], [boundary]] = await inOrder(
      lockOwner(tx, input.userId),
      // A replay returns the job it created before and is never counted twice.
      input.idempotencyKey === null
        ? Promise.resolve([])
        : tx
            .select()
            .from(imageJobs)
            .where(and(eq(imageJobs.userId, input.userId), eq(imageJobs.idempotencyKey, input.idempotencyKey))),
      activeCountQuery(tx, input.userId),
      tx.execute<{ created_at: string }>(sql`
        select created_at from (
          select ${imageJobs.createdAt} as created_at,
                 sum(${imageJobs.units}) over (order by ${imageJobs.createdAt} desc nulls last, ${imageJobs.id} desc nulls last) as running
          from ${imageJobs}
          where ${imageJobs.userId} = ${input.userId} and ${imageJobs.createdAt} > now() - interval '24 hours'
        ) window_ where running > ${room} order by running limit 1`),
    );
    if (existing[0]) return { kind: "existing", job: existing[0] };
    const n = active?.n ?? 0;
    if (n >= limits.maxActive) return { kind: "too_many_active", active: n };
    if (room < 0 || boundary) {
      // More than a whole day's quota in one request can never fit: ask again in a day.
      const oldest = boundary && room >= 0 ? new Date(boundary.created_at).getTime() : Date.now();
      return { kind: "daily_quota", retryAfterSeconds: Math.max(1, Math.ceil((oldest + 86_400_000 - Date.now()) / 1000)) };
    }
    const [job] = await tx.insert(imageJobs).values(input).returning();
    return { kind: "created", job: job! };
  });
}

// A job, and a job's images: the status read's statements, built once (db/prebuilt.ts).
const jobOfOwner = prebuilt<Owned, JobRow[]>((tx) =>
  tx
    .select()
    .from(imageJobs)
    .where(own({ userId: sql.placeholder("userId"), jobId: sql.placeholder("jobId") })),
);
const imagesOfJob = prebuilt<Owned, ImageWithFavourite[]>((tx) =>
  imagesOfJobsQuery(tx, { userId: sql.placeholder("userId"), jobIds: sql`(${sql.placeholder("jobId")})` }),
);

export async function findJob(owned: Owned): Promise<JobRow | undefined> {
  const [rows] = await readAsUser(owned.userId, (tx) => [jobOfOwner(tx, owned)]);
  return rows[0];
}

// A job and its images in one round trip (one scope, both statements sent
// together). The images statement names the owner too; image rows of a job
// that is not completed are dropped by lib/jobs/public.ts.
export async function findJobWithImages(
  owned: Owned,
  reader: ScopedReader = ownReader(owned.userId),
): Promise<{ job: JobRow; images: ImageWithFavourite[] } | undefined> {
  if (reader.userId !== owned.userId) throw new Error("findJobWithImages: the reader is not the owner");
  const [jobs, images] = await reader.read((tx) => [jobOfOwner(tx, owned), imagesOfJob(tx, owned)]);
  return jobs[0] ? { job: jobs[0], images } : undefined;
}

export { type Cursor, listJobs } from "./list";

// failed → queued, atomically; undefined when the job is not (or no longer) failed.
export async function requeueFailedJob(owned: Owned, maxActive: number): Promise<JobRow | "too_many_active" | undefined> {
  return withUser(owned.userId, async (tx) => {
    await lockOwner(tx, owned.userId);
    if ((await activeCount(tx, owned.userId)) >= maxActive) {
      const [mine] = await tx.select({ status: imageJobs.status }).from(imageJobs).where(own(owned));
      // Only a real, failed job of the caller learns about the limit; anything else stays "not found"/409.
      if (mine?.status === "failed") return "too_many_active";
    }
    const [row] = await tx
      .update(imageJobs)
      .set({ ...noProgress, status: "queued", error: null, updatedAt: sql`now()`, completedAt: null, startedAt: null })
      .where(and(own(owned), eq(imageJobs.status, "failed")))
      .returning();
    return row;
  });
}

export async function deleteJob(owned: Owned): Promise<JobRow | undefined> {
  return withUser(owned.userId, async (tx) => (await tx.delete(imageJobs).where(own(owned)).returning())[0]);
}

// queued → processing, atomically: of two deliveries of the same job only one claims it.
// Single-statement writes go out with BEGIN, the scope and COMMIT in one round
// trip (`readAsUser`); the row is returned only once COMMIT succeeded.
export async function claimJob(owned: Owned): Promise<JobRow | undefined> {
  const [rows] = await readAsUser(owned.userId, (tx) => [
    tx
      .update(imageJobs)
      .set({ status: "processing", startedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(own(owned), eq(imageJobs.status, "queued")))
      .returning(),
  ]);
  return rows[0];
}

// Counts one generation attempt; undefined if the job is no longer processing (deleted, failed).
export async function recordAttempt(owned: Owned): Promise<JobRow | undefined> {
  const [rows] = await readAsUser(owned.userId, (tx) => [
    tx
      .update(imageJobs)
      .set({ attempts: sql`${imageJobs.attempts} + 1`, updatedAt: sql`now()` })
      .where(and(own(owned), eq(imageJobs.status, "processing")))
      .returning(),
  ]);
  return rows[0];
}

// The newest progress of a job being rendered. False when the job is no longer
// processing (deleted, failed): the renderer can stop working on it.
export async function recordProgress(owned: Owned, progress: { step: number; steps: number; previewKey?: string }): Promise<boolean> {
  const [rows] = await readAsUser(owned.userId, (tx) => [
    tx
      .update(imageJobs)
      .set({
        progressStep: progress.step,
        progressSteps: progress.steps,
        ...(progress.previewKey ? { previewKey: progress.previewKey } : {}),
        updatedAt: sql`now()`,
      })
      .where(and(own(owned), eq(imageJobs.status, "processing")))
      .returning({ id: imageJobs.id }),
  ]);
  return rows.length === 1;
}

export type StoredImage = { imageKey: string; thumbnailKey: string; contentType: string; width: number; height: number };

// processing → completed with its images, in one transaction: the job row
// (which keeps describing image 0) and one job_images row per image. Nothing
// is written unless the caller's own job was still processing, so an image row
// can only ever point at its owner's job.
export async function completeJob(owned: Owned, images: StoredImage[]): Promise<boolean> {
  const [first] = images;
  if (!first) return false;
  return withUser(owned.userId, async (tx) => {
    const rows = await tx
      .update(imageJobs)
      .set({ ...first, ...noProgress, status: "completed", error: null, completedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(own(owned), eq(imageJobs.status, "processing")))
      .returning({ id: imageJobs.id });
    if (rows.length !== 1) return false;
    // A retried job (failed → queued → completed again) replaces its old rows:
    // the delete and the insert in one round trip, in this order.
    await inOrder(
      tx.delete(jobImages).where(and(eq(jobImages.userId, owned.userId), eq(jobImages.jobId, owned.jobId))),
      tx.insert(jobImages).values(images.map((image, index) => ({ ...image, index, userId: owned.userId, jobId: owned.jobId }))),
    );
    return true;
  });
}

export async function failJob(owned: Owned, error: string): Promise<boolean> {
  const [rows] = await readAsUser(owned.userId, (tx) => [
    tx
      .update(imageJobs)
      .set({ ...noProgress, status: "failed", error, updatedAt: sql`now()` })
      .where(and(own(owned), inArray(imageJobs.status, UNFINISHED_STATUSES)))
      .returning({ id: imageJobs.id }),
  ]);
  return rows.length === 1;
}

// After a crash (or a lost write): put this person's interrupted jobs back in
// the queue, except those this process is running right now.
export async function requeueInterruptedJobs(userId: string, runningHere: string[]): Promise<string[]> {
  return withUser(userId, async (tx: Tx) => {
    const notRunningHere = runningHere.length > 0 ? notInArray(imageJobs.id, runningHere) : undefined;
    await tx
      .update(imageJobs)
      .set({ ...noProgress, status: "queued", updatedAt: sql`now()` })
      .where(and(eq(imageJobs.userId, userId), eq(imageJobs.status, "processing"), notRunningHere));
    const rows = await tx
      .select({ id: imageJobs.id })
      .from(imageJobs)
      .where(and(eq(imageJobs.userId, userId), eq(imageJobs.status, "queued"), notRunningHere))
      .orderBy(imageJobs.createdAt);
    return rows.map((r) => r.id);
  });
}

// Account deletion: every job of this person, in one statement.
export async function deleteAllJobs(userId: string): Promise<string[]> {
  return withUser(userId, async (tx) => {
    const rows = await tx.delete(imageJobs).where(eq(imageJobs.userId, userId)).returning({ id: imageJobs.id });
    return rows.map((r) => r.id);
  });
}

// For live updates (lib/events): the person's jobs changed at or after `since`
// (a reconnecting stream's watermark), oldest change first, and the database's
// clock, which becomes the stream's next watermark.
// Without `since`, only the clock (a new stream's first watermark).
export async function listJobsChangedSince(input: { userId: string; since?: Date; limit: number }): Promise<{ rows: JobRow[]; clock: Date }> {
  return withUser(input.userId, async (tx) => {
    const [clock] = await tx.execute<{ ms: string }>(sql`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`);
    const now = new Date(Number(clock!.ms));
    if (!input.since) return { rows: [], clock: now };
    const rows = await tx
      .select()
      .from(imageJobs)
      .where(and(eq(imageJobs.userId, input.userId), sql`${imageJobs.updatedAt} >= ${input.since.toISOString()}::timestamptz`))
      .orderBy(imageJobs.updatedAt)
      .limit(input.limit);
    return { rows, clock: now };
  });
}

// The ids of the person's newest jobs: what a stream may announce as deleted.
export async function listJobIds(input: { userId: string; limit: number }): Promise<string[]> {
  const rows = await withUser(input.userId, (tx) =>
    tx
      .select({ id: imageJobs.id })
      .from(imageJobs)
      .where(eq(imageJobs.userId, input.userId))
      .orderBy(...newestFirst)
      .limit(input.limit),
  );
  return rows.map((r) => r.id);
}
