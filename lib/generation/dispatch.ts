// Hands a job to the configured runner: in-process by default, Inngest when
// JOB_RUNNER=inngest. A dispatch that throws leaves the job for the caller to
// fail visibly (lib/jobs/service.ts marks it failed and answers 503).
import "server-only";
import { getEnv } from "@/lib/env";
import { findJob } from "@/lib/jobs/queries";
import { errorText, logger } from "@/lib/log";
import { getEmbeddedRunner } from "./runner";
import type { JobRef } from "./workflow";

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function dispatchJob(ref: JobRef): Promise<void> {
  const env = getEnv();
  if (env.JOB_RUNNER !== "inngest") {
    getEmbeddedRunner().enqueue(ref);
    return;
  }
  // Read as the owner: the event is only ever sent for the caller's own queued job.
  const job = await findJob(ref);
  if (job?.status !== "queued") return;
  const queuedAt = job.updatedAt.toISOString();
  const { inngest, imageRequested } = await import("@/inngest/client");
  // The event id makes a repeated send of the same queued job a no-op at Inngest
  // (deduplicated for 24 h); a retry is queued at a new time and gets a new id.
  const event = imageRequested.create({ jobId: ref.jobId, userId: ref.userId, queuedAt }, { id: `image-requested-${ref.jobId}-${job.updatedAt.getTime()}` });
  // A lost event would leave the job queued forever, so this fails loudly and in bounded time.
  await withDeadline(inngest.send(event), env.INNGEST_SEND_TIMEOUT_MS, "Sending the job to Inngest");
}

// In Inngest mode, stops a deleted job's run (the function's cancelOn). Best
// effort: a run that is not cancelled finds the job gone and does nothing.
export async function announceJobDeleted(ref: JobRef): Promise<void> {
  const env = getEnv();
  if (env.JOB_RUNNER !== "inngest") return;
  const { inngest, jobDeleted } = await import("@/inngest/client");
  try {
    await withDeadline(inngest.send(jobDeleted.create({ jobId: ref.jobId, userId: ref.userId })), env.INNGEST_SEND_TIMEOUT_MS, "Sending job.deleted");
  } catch (error) {
    logger.warn({ event: "job_deleted_event_failed", job_id: ref.jobId, error: errorText(error) });
  }
}
