// What a bulk request may contain: the ids of some of the caller's jobs (as a
// JSON list, or comma-separated in a form field, for the download form), at
// most a page of them. Ids are checked by the service: a malformed id is a
// missing one.
import { z } from "zod";

export const MAX_BULK_JOBS = 100;

const jobIds = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()) : v),
  z
    .array(z.string({ error: "must be a list of job ids" }).max(100, "must be a list of job ids"), { error: "must be a list of job ids" })
    .min(1, "must name at least one job")
    .max(MAX_BULK_JOBS, `must name at most ${MAX_BULK_JOBS} jobs`),
);
const flag = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")], { error: "must be true or false" });

// POST /api/bulk/delete, POST /api/bulk/download
export const bulkJobsInput = z.object({ job_ids: jobIds });
export type BulkJobsInput = z.infer<typeof bulkJobsInput>;

// POST /api/bulk/favourite: star (or, with favourite: false, unstar) every image of the jobs.
export const bulkFavouriteInput = z.object({ job_ids: jobIds, favourite: flag.default(true) });
export type BulkFavouriteInput = z.infer<typeof bulkFavouriteInput>;

// POST /api/bulk/collect: add every image of the jobs to one of the caller's collections.
export const bulkCollectInput = z.object({ job_ids: jobIds, collection_id: z.string({ error: "is required and must be an id" }).max(100, "must be an id") });
export type BulkCollectInput = z.infer<typeof bulkCollectInput>;
