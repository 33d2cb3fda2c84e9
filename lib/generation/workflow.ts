// The generation workflow, written once as named steps. Both runners execute
// it: the embedded in-process runner and the Inngest function. Steps return
// only small JSON values (ids, keys, sizes), never image bytes.
import "server-only";
import sharp from "sharp";
import { claimJob, completeJob, failJob, recordAttempt } from "@/lib/jobs/queries";
import { getStorage, jobPrefix } from "@/lib/storage";
import { resolveModel } from "./models";
import { GenerationError } from "./models/types";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface StepRunner {
  run<T extends Json | undefined>(id: string, fn: () => Promise<T>): Promise<T>;
}
export type JobRef = { jobId: string; userId: string };

export const THUMBNAIL_WIDTH = 256;

export async function generateImageWorkflow(step: StepRunner, ref: JobRef): Promise<{ status: "completed" | "skipped" }> {
  const claimed = await step.run("claim-job", async () => (await claimJob(ref)) !== undefined);
  // Not queued any more: another delivery claimed it, or it was deleted. Nothing to do.
  if (!claimed) return { status: "skipped" };

  const stored = await step.run("render-and-store", async () => {
    const job = await recordAttempt(ref);
    if (!job) return null;
    const model = resolveModel(job.model);
    const image = await model.generate({ prompt: job.prompt, style: job.style, quality: job.quality, attempt: job.attempts });
    const thumbnail = await sharp(image.bytes).resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    // Fixed keys per job: a repeated attempt overwrites, it never adds files.
    const prefix = jobPrefix(ref.userId, ref.jobId);
    const extension = image.contentType === "image/png" ? "png" : image.contentType === "image/jpeg" ? "jpg" : "webp";
    const imageKey = `${prefix}image.${extension}`;
    const thumbnailKey = `${prefix}thumbnail.webp`;
    await getStorage().put(imageKey, image.bytes, image.contentType);
    await getStorage().put(thumbnailKey, thumbnail, "image/webp");
    return { imageKey, thumbnailKey, contentType: image.contentType, width: image.width, height: image.height };
  });
  if (!stored) return { status: "skipped" };

  const completed = await step.run("mark-completed", () => completeJob(ref, stored));
  if (!completed) {
    // Deleted (or failed) while rendering: its files must not outlive it.
    await getStorage().deletePrefix(jobPrefix(ref.userId, ref.jobId));
    return { status: "skipped" };
  }
  return { status: "completed" };
}

// The error text a person sees on their failed job. Internal details stay in the log.
export function describeFailure(error: unknown): string {
  if (error instanceof GenerationError) return error.message;
  return "Image generation failed because of an internal error";
}

export function isRetryable(error: unknown): boolean {
  return !(error instanceof GenerationError) || error.retryable;
}

export async function markJobFailed(ref: JobRef, error: unknown): Promise<void> {
  await failJob(ref, describeFailure(error));
}
