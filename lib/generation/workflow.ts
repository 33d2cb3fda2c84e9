// The generation workflow, written once as named steps. Both runners execute
// it: the embedded in-process runner and the Inngest function. Steps return
// only small JSON values (ids, keys, sizes), never image bytes.
import "server-only";
import sharp from "sharp";
import { MAX_SEED } from "@/lib/jobs/input";
import { claimJob, completeJob, failJob, recordAttempt, type StoredImage } from "@/lib/jobs/queries";
import { getStorage, jobPrefix } from "@/lib/storage";
import { withoutMetadata } from "./clean";
import { resolveModel } from "./models";
import { type GeneratedImage, GenerationError } from "./models/types";
import { previewKey, progressReporter } from "./progress";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface StepRunner {
  run<T extends Json | undefined>(id: string, fn: () => Promise<T>): Promise<T>;
}
export type JobRef = { jobId: string; userId: string };

export const THUMBNAIL_WIDTH = 256;

// Every job's images are new: libvips' operation cache (up to 50 MB by default)
// would only hold memory, never serve a hit.
sharp.cache(false);
// Jobs already render JOB_CONCURRENCY at a time, so libvips' own threads per
// image add no speed (renders alone: 88–89 jobs/s at four at a time with one
// thread or two) but each holds its buffers: the bench's queue phase peaked at
// 329 MiB with one thread, 339 MiB with two.
sharp.concurrency(1);

export async function generateImageWorkflow(step: StepRunner, ref: JobRef): Promise<{ status: "completed" | "skipped" }> {
  const claimed = await step.run("claim-job", async () => (await claimJob(ref)) !== undefined);
  // Not queued any more: another delivery claimed it, or it was deleted. Nothing to do.
  if (!claimed) return { status: "skipped" };

  const stored = await step.run("render-and-store", async () => {
    const job = await recordAttempt(ref);
    if (!job) return null;
    const model = await resolveModel(job.model);
    const prefix = jobPrefix(ref.userId, ref.jobId);
    const images: StoredImage[] = [];
    const progress = progressReporter(ref);
    const request = (index: number) => ({
      prompt: job.prompt,
      style: job.style,
      quality: job.quality,
      attempt: job.attempts,
      aspectRatio: job.aspectRatio,
      seed: ((job.seed ?? 0) + index) % (MAX_SEED + 1),
      negativePrompt: job.negativePrompt,
    });
    const store = async (generated: GeneratedImage, index: number) => {
      const image = await withoutMetadata(generated.bytes, generated.contentType);
      const thumbnail = await sharp(image.bytes).resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
      // Fixed keys per job and index: a repeated attempt overwrites, it never adds files.
      // Image 0 keeps the names every job had before a job could hold several.
      const extension = image.contentType === "image/png" ? "png" : image.contentType === "image/jpeg" ? "jpg" : "webp";
      const suffix = index === 0 ? "" : `-${index}`;
      const imageKey = `${prefix}image${suffix}.${extension}`;
      const thumbnailKey = `${prefix}thumbnail${suffix}.webp`;
      await Promise.all([getStorage().put(imageKey, image.bytes, image.contentType), getStorage().put(thumbnailKey, thumbnail, "image/webp")]);
      images.push({ imageKey, thumbnailKey, contentType: image.contentType, width: image.width, height: image.height });
    };
    // The preview was only for watching the render. Removed before the job is
    // marked completed: a crash in between leaves a job that runs again, never
    // a finished job with a stray file.
    const dropPreview = () => getStorage().delete(previewKey(ref));
    if (model.generateBatch) {
      // A GPU backend renders the whole job in one pass (seeds seed..seed+n-1,
      // as AUTOMATIC1111 numbers a batch) and reports steps over all of it.
      const generated = await model.generateBatch(request(0), job.n, progress.hooksFor(0, 1)).finally(() => progress.settle());
      if (generated.length !== job.n) throw new GenerationError(`The image model returned ${generated.length} of ${job.n} images`, { retryable: true });
      for (const [index, image] of generated.entries()) await store(image, index);
      await dropPreview();
      return images;
    }
    // One call per image: image i is drawn with seed + i, so any one image of a
    // job can be reproduced alone. Jobs from before seeds existed draw with 0.
    for (let index = 0; index < job.n; index++) {
      const generated = await model.generate(request(index), progress.hooksFor(index, job.n)).finally(() => progress.settle());
      await store(generated, index);
    }
    await dropPreview();
    return images;
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
  // Removed before the row changes: a crash in between leaves a job that is
  // still unfinished (and run again), never a finished one with a stray file.
  await getStorage().delete(previewKey(ref));
  await failJob(ref, describeFailure(error));
}
