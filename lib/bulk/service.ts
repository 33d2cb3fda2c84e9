// Bulk actions on a selection of the caller's jobs (the gallery's "select
// many"): star or unstar, add to a collection, delete, download as one zip.
//
// All or nothing: if any id is malformed, missing or someone else's, the whole
// request is answered "Job not found" (the same 404 as a single job route) and
// nothing changes, for anyone. Acting on "only your ids" would also be safe,
// but it would hide a stale selection from the person and makes the answer's
// counts depend on which of the other ids exist; refusing the whole request
// says nothing about them. The check runs in the same transaction as the change.
import { pullStream } from "@/lib/pull-stream";
import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import { recordEvent } from "@/lib/audit/service";
import { MAX_COLLECTION_IMAGES } from "@/lib/collections/input";
import { ConflictError, collectionNotFound, jobNotFound } from "@/lib/errors";
import { announceJobDeleted } from "@/lib/generation/dispatch";
import { isUuid } from "@/lib/ids";
import { errorText, logger } from "@/lib/log";
import { getStorage, jobPrefix } from "@/lib/storage";
import type { BulkCollectInput, BulkFavouriteInput, BulkJobsInput } from "./input";
import * as queries from "./queries";

function jobsOf(userId: string, ids: string[]) {
  if (!ids.every(isUuid)) throw jobNotFound();
  return { userId, jobIds: [...new Set(ids.map((id) => id.toLowerCase()))] };
}

export async function favouriteJobs(userId: string, input: BulkFavouriteInput): Promise<{ job_ids: string[]; favourite: boolean; images: number }> {
  const jobs = jobsOf(userId, input.job_ids);
  const outcome = await queries.starJobs(jobs, input.favourite);
  if (outcome === "missing") throw jobNotFound();
  return { job_ids: jobs.jobIds, favourite: input.favourite, images: outcome.images };
}

export async function collectJobs(userId: string, input: BulkCollectInput): Promise<{ job_ids: string[]; collection_id: string; added: number }> {
  if (!isUuid(input.collection_id)) throw collectionNotFound();
  const jobs = jobsOf(userId, input.job_ids);
  const collectionId = input.collection_id.toLowerCase();
  const outcome = await queries.collectJobs(jobs, collectionId, MAX_COLLECTION_IMAGES);
  if (outcome === "no_collection") throw collectionNotFound();
  if (outcome === "missing") throw jobNotFound();
  if (outcome === "full") throw new ConflictError(`A collection holds at most ${MAX_COLLECTION_IMAGES} images`);
  return { job_ids: jobs.jobIds, collection_id: collectionId, added: outcome.added };
}

// The rows go in one transaction; then each job's files, as a single delete does.
export async function deleteJobs(userId: string, input: BulkJobsInput): Promise<{ job_ids: string[] }> {
  const jobs = jobsOf(userId, input.job_ids);
  const deleted = await queries.deleteJobs(jobs);
  if (deleted === "missing") throw jobNotFound();
  for (const jobId of deleted) {
    await announceJobDeleted({ userId, jobId });
    try {
      await getStorage().deletePrefix(jobPrefix(userId, jobId));
    } catch (error) {
      logger.error({ event: "job_files_left_behind", job_id: jobId, error: errorText(error) });
    }
    await recordEvent(userId, "job_deleted", { job_id: jobId });
  }
  return { job_ids: deleted };
}

// Checks every id first (so a refused request sends no byte of zip), then
// streams the stored, metadata-free files one chunk at a time as the client
// takes them, like the account export: `<job id>.<ext>`, `<job id>-2.<ext>`, ….
export async function downloadJobs(userId: string, input: BulkJobsInput): Promise<ReadableStream<Uint8Array>> {
  const found = await queries.jobsForDownload(jobsOf(userId, input.job_ids));
  if (found === "missing") throw jobNotFound();
  return pullStream(zipChunks(found));
}

async function* zipChunks(found: Exclude<Awaited<ReturnType<typeof queries.jobsForDownload>>, "missing">): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }
  const storage = getStorage();
  for (const { job, images } of found) {
    for (const image of images) {
      const stream = await storage.stream(image.imageKey);
      if (!stream) continue;
      const entry = new ZipPassThrough(`${job.id}${image.index === 0 ? "" : `-${image.index + 1}`}.${image.imageKey.split(".").pop()}`);
      zip.add(entry);
      for await (const chunk of stream) {
        entry.push(chunk);
        yield* drain();
      }
      entry.push(new Uint8Array(0), true);
      yield* drain();
    }
  }
  zip.end();
  yield* drain();
}
