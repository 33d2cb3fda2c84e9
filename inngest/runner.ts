// The Inngest implementation of lib/generation's JobRunner: a dispatch sends
// darkroom/image.requested, a cancel sends darkroom/job.deleted (the
// function's cancelOn). Registered at start-up by instrumentation.ts and by
// app/api/inngest/route.ts; lib/ never imports this folder.
import { getEnv } from "@/lib/env";
import type { JobRunner } from "@/lib/generation/runners";
import type { JobRef } from "@/lib/generation/workflow";
import { findJob } from "@/lib/jobs/queries";
import { errorText, logger } from "@/lib/log";
import { imageRequested, inngest, jobDeleted } from "./client";

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

export const inngestRunner: JobRunner = {
  name: "inngest",

  async dispatch(ref: JobRef) {
    // Read as the owner: the event is only ever sent for the caller's own queued job.
    const job = await findJob(ref);
    if (job?.status !== "queued") return;
    const queuedAt = job.updatedAt.toISOString();
    // The event id makes a repeated send of the same queued job a no-op at Inngest
    // (deduplicated for 24 h); a retry is queued at a new time and gets a new id.
    const event = imageRequested.create({ jobId: ref.jobId, userId: ref.userId, queuedAt }, { id: `image-requested-${ref.jobId}-${job.updatedAt.getTime()}` });
    // A lost event would leave the job queued forever, so this fails loudly and in bounded time.
    await withDeadline(inngest.send(event), getEnv().INNGEST_SEND_TIMEOUT_MS, "Sending the job to Inngest");
  },

  async cancel(ref: JobRef) {
    try {
      await withDeadline(inngest.send(jobDeleted.create({ jobId: ref.jobId, userId: ref.userId })), getEnv().INNGEST_SEND_TIMEOUT_MS, "Sending job.deleted");
    } catch (error) {
      logger.warn({ event: "job_deleted_event_failed", job_id: ref.jobId, error: errorText(error) });
    }
  },

  // Inngest calls the app; there is nothing here to start or stop.
  isRunning: () => true,
};
