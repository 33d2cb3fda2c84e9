// The public snake_case shape of a job: the one place a row becomes what a
// client sees. Storage keys, owner ids and idempotency keys never leave the server.
import { type JobImageRow, type JobRow, jobStatuses } from "@/db/schema";
import { type PublicImage, toPublicImage } from "@/lib/images/public";

export type PublicJob = {
  job_id: string;
  status: JobRow["status"];
  prompt: string;
  style: string;
  quality: string;
  model: string;
  aspect_ratio: string;
  n: number;
  seed: number | null;
  negative_prompt: string | null;
  attempts: number;
  error: string | null;
  image_url: string | null;
  thumbnail_url: string | null;
  width: number | null;
  height: number | null;
  // Every finished image, in order; image_url… above stay as image 0 for older clients.
  images: PublicImage[];
  // While processing: how far the renderer is (null when it reports nothing),
  // and a small owner-checked preview of the image so far (null until there is one).
  progress: PublicProgress | null;
  preview_url: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
};

export type PublicProgress = { fraction: number; step: number; steps: number };

type ImageFields = Pick<JobImageRow, "id" | "jobId" | "index" | "width" | "height"> & { favourite?: boolean };

// `images`: the job's image rows if the caller loaded them (any order, any job's:
// only this job's are kept); a job that is not completed shows none.
export function toPublicJob(row: JobRow, images: readonly ImageFields[] = []): PublicJob {
  const done = row.status === "completed" && row.imageKey !== null;
  const progress = toPublicProgress(row);
  return {
    job_id: row.id,
    status: row.status,
    prompt: row.prompt,
    style: row.style,
    quality: row.quality,
    model: row.model,
    aspect_ratio: row.aspectRatio,
    n: row.n,
    seed: row.seed,
    negative_prompt: row.negativePrompt,
    attempts: row.attempts,
    error: row.error,
    image_url: done ? `/api/images/${row.id}` : null,
    thumbnail_url: done ? `/api/images/${row.id}/thumbnail` : null,
    width: done ? row.width : null,
    height: done ? row.height : null,
    images: done
      ? images
          .filter((image) => image.jobId === row.id)
          .sort((a, b) => a.index - b.index)
          .map(toPublicImage)
      : [],
    progress,
    // The step in the URL only makes a new preview a new URL (the route ignores it).
    preview_url: row.status === "processing" && row.previewKey !== null ? `/api/jobs/${row.id}/preview?step=${progress?.step ?? 0}` : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
  };
}

function toPublicProgress(row: JobRow): PublicProgress | null {
  if (row.status !== "processing" || row.progressSteps === null || row.progressStep === null || row.progressSteps <= 0) return null;
  const step = Math.min(Math.max(0, row.progressStep), row.progressSteps);
  return { fraction: Math.round((step / row.progressSteps) * 1000) / 1000, step, steps: row.progressSteps };
}

// An account's jobs counted by status, as administrators see them (never prompts or images).
export type PublicJobCounts = { total: number } & Record<JobRow["status"], number>;

export function toPublicJobCounts(counts: { status: JobRow["status"]; n: number }[]): PublicJobCounts {
  const byStatus = Object.fromEntries(jobStatuses.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])) as Record<JobRow["status"], number>;
  return { total: counts.reduce((sum, c) => sum + c.n, 0), ...byStatus };
}
