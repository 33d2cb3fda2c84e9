// The rules around image jobs. Route handlers and pages call these with the
// authenticated user's id; ownership is enforced in every query below.
import "server-only";
import { randomInt } from "node:crypto";
import { ownReader, type ScopedReader } from "@/db/client";
import type { JobRow } from "@/db/schema";
import { recordEvent } from "@/lib/audit/service";
import { getEnv } from "@/lib/env";
import { ConflictError, DailyQuotaError, InvalidInputError, jobNotFound, RateLimitedError, UnavailableError } from "@/lib/errors";
import { announceJobDeleted, dispatchJob } from "@/lib/generation/dispatch";
import { isUuid } from "@/lib/ids";
import { listImagesOfJobs } from "@/lib/images/queries";
import { errorText, logger } from "@/lib/log";
import type { Caller } from "@/lib/models/service";
import { getStorage, jobPrefix } from "@/lib/storage";
import { type CreateJobInput, type ListJobsInput, MAX_SEED } from "./input";
import { type PublicJob, toPublicJob } from "./public";
import * as queries from "./queries";
import { type JobFilters, toTsQueryText } from "./search";
import { resolveSettings, sameSettings } from "./settings";

// A malformed id is answered exactly like a missing one, before any query.
function jobRef(userId: string, jobId: string) {
  if (!isUuid(jobId)) throw jobNotFound();
  return { userId, jobId: jobId.toLowerCase() };
}

async function dispatchOrFail(job: PublicJob, userId: string): Promise<PublicJob> {
  try {
    await dispatchJob({ jobId: job.job_id, userId });
    return job;
  } catch (error) {
    // Never leave a job queued with nobody to run it: fail it visibly instead.
    logger.error({ event: "dispatch_failed", job_id: job.job_id, error: errorText(error) });
    await queries.failJob({ userId, jobId: job.job_id }, "The job could not be scheduled; retry it in a moment");
    throw new UnavailableError("The job could not be scheduled; it was marked failed and can be retried", 5);
  }
}

function limits(): queries.Limits {
  const env = getEnv();
  return { maxActive: env.MAX_ACTIVE_JOBS_PER_USER, dailyQuota: env.DAILY_JOB_QUOTA };
}

const tooManyActive = (max: number) => new RateLimitedError(`You already have ${max} unfinished jobs; wait for some to finish`, 10);

export async function createJob(caller: Caller, input: CreateJobInput, idempotencyKey: string | null): Promise<{ job: PublicJob; created: boolean }> {
  const userId = caller.id;
  const settings = await resolveSettings(caller, input);
  const outcome = await queries.insertJob({ userId, ...settings, idempotencyKey }, limits());
  if (outcome.kind === "too_many_active") throw tooManyActive(limits().maxActive);
  if (outcome.kind === "daily_quota") {
    throw new DailyQuotaError(`Daily limit of ${limits().dailyQuota} images reached`, outcome.retryAfterSeconds);
  }
  const { job } = outcome;
  if (outcome.kind === "existing") {
    if (!sameSettings(job, settings, input.seed !== undefined)) {
      throw new ConflictError("This Idempotency-Key was already used for a different request");
    }
    return { job: await withImages(userId, job), created: false };
  }
  return { job: await dispatchOrFail(toPublicJob(job), userId), created: true };
}

async function withImages(userId: string, row: JobRow): Promise<PublicJob> {
  const images = row.status === "completed" ? await listImagesOfJobs({ userId, jobIds: [row.id] }) : [];
  return toPublicJob(row, images);
}

// A reader (lib/auth/require-user.ts `requireReader`) sends the caller's
// account check with the first read; anything answered before a read
// settles that check first, so a signed-out caller gets 401, never 400 or 404.
const asReader = (caller: string | ScopedReader): ScopedReader => (typeof caller === "string" ? ownReader(caller) : caller);

async function checkedFirst<T>(reader: ScopedReader, fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (error) {
    await reader.verify();
    throw error;
  }
}

export async function getJob(caller: string | ScopedReader, jobId: string): Promise<PublicJob> {
  const reader = asReader(caller);
  const ref = await checkedFirst(reader, () => jobRef(reader.userId, jobId));
  const found = await queries.findJobWithImages(ref, reader);
  if (!found) throw jobNotFound();
  return toPublicJob(found.job, found.images);
}

// A new job with the same settings as one of the caller's jobs and a new seed
// (for models that take one). It is a new request in every way that matters:
// the model must still be offered to the caller, and it counts against the
// limits and the quota like any other.
export async function varyJob(caller: Caller, jobId: string): Promise<PublicJob> {
  const row = await queries.findJob(jobRef(caller.id, jobId));
  if (!row) throw jobNotFound();
  const input: CreateJobInput = {
    prompt: row.prompt,
    style: row.style as CreateJobInput["style"],
    quality: row.quality as CreateJobInput["quality"],
    model: row.model,
    aspect_ratio: row.aspectRatio as CreateJobInput["aspect_ratio"],
    n: row.n,
    // An explicit seed even for the offline renderer, whose default would redraw the same picture.
    seed: row.seed === null ? undefined : randomInt(0, MAX_SEED + 1),
    negative_prompt: row.negativePrompt ?? undefined,
  };
  return (await createJob(caller, input, null)).job;
}

// Opaque cursors, base64url JSON: newest first is a keyset (the last row's
// created_at and id); relevance is an offset, capped so a deep page stays cheap.
export const MAX_RELEVANCE_OFFSET = 1000;

function encodeCursor(value: unknown[]): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

type Position = { after?: queries.Cursor; offset: number };

function decodeCursor(cursor: string | undefined, relevance: boolean): Position {
  if (cursor === undefined) return { offset: 0 };
  try {
    const parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (relevance) {
      const [kind, offset] = parts;
      if (kind === "r" && Number.isInteger(offset) && (offset as number) > 0 && (offset as number) <= MAX_RELEVANCE_OFFSET) return { offset: offset as number };
    } else {
      const [createdAt, id] = parts;
      const date = new Date(String(createdAt));
      if (typeof createdAt === "string" && isUuid(id) && !Number.isNaN(date.getTime())) return { after: { createdAt: date, id }, offset: 0 };
    }
  } catch {}
  throw new InvalidInputError("cursor", "not a cursor returned by this API");
}

// `to` given as a bare date includes that whole day.
const upperBound = (to: string) => (/^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : new Date(to));

function filtersOf(input: ListJobsInput): JobFilters {
  return {
    query: input.q ? (toTsQueryText(input.q) ?? undefined) : undefined,
    model: input.model,
    favourite: input.favourite !== undefined,
    collectionId: input.collection?.toLowerCase(),
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? upperBound(input.to) : undefined,
  };
}

export async function listJobs(caller: string | ScopedReader, input: ListJobsInput): Promise<{ jobs: PublicJob[]; next_cursor: string | null }> {
  const reader = asReader(caller);
  const userId = reader.userId;
  const { filters, relevance, position } = await checkedFirst(reader, () => {
    const filters = filtersOf(input);
    // Relevance needs words to rank by; without them the order is newest first.
    const relevance = input.sort === "relevance" && filters.query !== undefined;
    return { filters, relevance, position: decodeCursor(input.cursor, relevance) };
  });
  // One extra row tells whether another page exists without a COUNT.
  // The page and its images, one round trip.
  const { rows, images } = await queries.listJobs({
    userId,
    limit: input.limit + 1,
    after: position.after,
    status: input.status,
    style: input.style,
    filters,
    relevance: relevance ? { offset: position.offset } : undefined,
    // A reader carrying a pending account check; a known user id reads on its own.
    ...(typeof caller === "string" ? {} : { reader }),
  });
  const jobs = rows.slice(0, input.limit).map((row) => toPublicJob(row, images));
  const last = jobs.at(-1);
  const more = rows.length > input.limit && last !== undefined;
  if (!more) return { jobs, next_cursor: null };
  if (!relevance) return { jobs, next_cursor: encodeCursor([last.created_at, last.job_id]) };
  const next = position.offset + input.limit;
  return { jobs, next_cursor: next <= MAX_RELEVANCE_OFFSET ? encodeCursor(["r", next]) : null };
}

export async function retryJob(userId: string, jobId: string): Promise<PublicJob> {
  const ref = jobRef(userId, jobId);
  const row = await queries.requeueFailedJob(ref, limits().maxActive);
  if (row === "too_many_active") throw tooManyActive(limits().maxActive);
  if (!row) {
    const existing = await queries.findJob(ref);
    if (!existing) throw jobNotFound();
    throw new ConflictError(`Only a failed job can be retried; this one is ${existing.status}`);
  }
  return dispatchOrFail(toPublicJob(row), userId);
}

export async function deleteJob(userId: string, jobId: string): Promise<void> {
  const ref = jobRef(userId, jobId);
  const row = await queries.deleteJob(ref);
  if (!row) throw jobNotFound();
  await announceJobDeleted(ref); // cancels an Inngest run; never throws
  try {
    await getStorage().deletePrefix(jobPrefix(ref.userId, ref.jobId));
  } catch (error) {
    // The job is gone and unreachable (no row, so no route serves its files);
    // storage already retried and logged `storage_delete_failed` with the prefix for an operator.
    logger.error({ event: "job_files_left_behind", job_id: ref.jobId, error: errorText(error) });
  }
  await recordEvent(userId, "job_deleted", { job_id: ref.jobId });
}

// For live updates (lib/events), always as the person: the job now, or null
// when it is not (or no longer) theirs; and the jobs changed since a watermark.
export async function findJobFor(userId: string, jobId: string): Promise<PublicJob | null> {
  if (!isUuid(jobId)) return null;
  const row = await queries.findJob({ userId, jobId: jobId.toLowerCase() });
  return row ? withImages(userId, row) : null;
}

export async function jobsChangedSince(userId: string, since: Date | undefined, limit: number): Promise<{ jobs: PublicJob[]; clock: Date }> {
  const { rows, clock } = await queries.listJobsChangedSince({ userId, since, limit });
  const images = await listImagesOfJobs({ userId, jobIds: rows.filter((r) => r.status === "completed").map((r) => r.id) });
  return { jobs: rows.map((row) => toPublicJob(row, images)), clock };
}

export const recentJobIds = (userId: string, limit: number) => queries.listJobIds({ userId, limit });
