// Image jobs: create, list and search, read, vary, retry, delete.
import { createJobInput, idempotencyKeyInput, listJobsInput } from "@/lib/jobs/input";
import { jobList, publicJob } from "../schemas";
import type { PathSpec } from "../spec";

const jobParam = { id: { resource: "job", description: "a job id" } };
const queued = (description: string) => ({ status: 202, description, data: publicJob, headers: { Location: "`/api/image-status/{job_id}`" } });

export const jobPaths: PathSpec[] = [
  {
    path: "/api/generate-image",
    tag: "Jobs",
    operations: {
      post: {
        summary: "Queue a new image job",
        description: "A setting the model cannot honour is a 400 naming the field and the model; a restricted model is 403 `Model not available`.",
        access: "generate",
        body: createJobInput,
        example: { prompt: "a lighthouse at dusk", style: "watercolor", quality: "standard" },
        headers: { "Idempotency-Key": { schema: idempotencyKeyInput, description: "retries with the same key answer the job already made" } },
        success: [queued("The job, queued (or the one already made for this Idempotency-Key)")],
        // 409: the Idempotency-Key was already used for a different request.
        errors: [409, 429],
        effect: "creates",
      },
    },
  },
  {
    path: "/api/jobs",
    tag: "Jobs",
    operations: {
      get: {
        summary: "List and search your jobs",
        description: "Newest first; `q` searches the words of your prompts. `sort=relevance` pages by offset, up to 1,000 results.",
        access: "read",
        query: listJobsInput,
        success: [{ status: 200, description: "A page of jobs", data: jobList }],
      },
    },
  },
  {
    path: "/api/jobs/{id}",
    tag: "Jobs",
    params: jobParam,
    resource: "job",
    operations: {
      get: { summary: "Read a job", access: "read", success: [{ status: 200, description: "The job", data: publicJob }] },
      delete: { summary: "Delete a job and its files", access: "generate", success: [{ status: 200, description: "Deleted", data: null }] },
    },
  },
  {
    path: "/api/jobs/{id}/preview",
    tag: "Jobs",
    params: jobParam,
    resource: "job",
    operations: {
      get: {
        summary: "The preview of a job being rendered",
        description:
          "A small WebP of the image so far, while the job is `processing` (its `preview_url`, also sent as a `preview` event of `GET /api/events`). A job with no preview (queued, finished, failed) is the same 404 as a missing one.",
        access: "read",
        needs: "a job that is rendering (processing, with a preview)",
        success: [{ status: 200, description: "A WebP preview", file: ["image/webp"], headers: { "Cache-Control": "`private, no-store`" } }],
      },
    },
  },
  {
    path: "/api/image-status/{id}",
    tag: "Jobs",
    params: jobParam,
    resource: "job",
    operations: {
      get: { summary: "Read a job (the seed's polling route)", access: "read", success: [{ status: 200, description: "The job", data: publicJob }] },
    },
  },
  {
    path: "/api/jobs/{id}/vary",
    tag: "Jobs",
    params: jobParam,
    resource: "job",
    operations: {
      post: { summary: "Queue the same settings with a new seed", access: "generate", success: [queued("The new job")], errors: [409, 429], effect: "creates" },
    },
  },
  {
    path: "/api/retry-job/{id}",
    tag: "Jobs",
    params: jobParam,
    resource: "job",
    operations: {
      post: {
        summary: "Queue a failed job again",
        description: "Only a `failed` job; anything else is 409.",
        access: "generate",
        success: [queued("The job, queued again")],
        errors: [409, 429],
      },
    },
  },
];
