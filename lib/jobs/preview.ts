// The small preview of a job being rendered (`preview_key`, written by
// lib/generation/progress.ts into the job's own folder). Served like the image
// routes: the owner's only, and someone else's job, a missing or malformed id,
// a job with no preview (queued, finished) or a missing file are all the same
// NotFoundError.
import "server-only";
import { jobNotFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getStorage } from "@/lib/storage";
import { findJob } from "./queries";

export async function readPreview(userId: string, jobId: string): Promise<{ bytes: Buffer; contentType: string; filename: string }> {
  if (!isUuid(jobId)) throw jobNotFound();
  const job = await findJob({ userId, jobId: jobId.toLowerCase() });
  if (job?.status !== "processing" || job.previewKey === null) throw jobNotFound();
  const bytes = await getStorage().get(job.previewKey);
  if (!bytes) throw jobNotFound();
  return { bytes, contentType: "image/webp", filename: `darkroom-${job.id}-preview.webp` };
}
