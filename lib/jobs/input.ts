// What a request about image jobs may contain: the zod schemas every
// transport (route handlers, pages, the browser client) parses with.
// No HTTP here: a failed parse becomes InvalidInputError in lib/http/body.ts.
import { z } from "zod";
import { jobStatuses } from "@/db/schema";
import { QUALITIES, type Quality, STYLES, type Style } from "@/lib/client/options";
import { ASPECT_RATIOS, type AspectRatio } from "@/lib/client/settings";
import { favouriteFilter } from "@/lib/favourites/input";
import { uuid } from "@/lib/ids";
import { pageLimit } from "@/lib/page";

// The lists themselves live in the client-safe modules the studio imports, so
// the browser and this schema can never offer different choices.
export { ASPECT_RATIOS, type AspectRatio, QUALITIES, type Quality, STYLES, type Style };
export const MAX_PROMPT_LENGTH = 2000;
export const MAX_IMAGES_PER_JOB = 4;
export const MAX_SEED = 2147483647;
export const MAX_NEGATIVE_PROMPT_LENGTH = 1000;

const choice = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess((v) => (v === undefined || v === null || v === "" ? fallback : v), z.enum(values, { error: `must be one of: ${values.join(", ")}` }));

const absent = (v: unknown) => v === undefined || v === null || v === "";
// Forms send numbers as text; JSON may send either. Only whole decimal numbers
// are read as numbers, so "2.5", "1e3" or "0x10" fail instead of being rounded.
const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d{1,12}\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`),
  );

// POST /api/generate-image
export const createJobInput = z.object({
  prompt: z
    .string({ error: "is required and must be text" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`),
  style: choice(STYLES, "realistic"),
  quality: choice(QUALITIES, "standard"),
  // Checked against the catalog (and the caller's permissions) by the service.
  model: z.preprocess((v) => (absent(v) ? undefined : v), z.string({ error: "must be a model id" }).trim().max(200, "is not a known model").optional()),
  aspect_ratio: choice(ASPECT_RATIOS, "1:1"),
  n: z.preprocess((v) => (absent(v) ? 1 : v), wholeNumber(1, MAX_IMAGES_PER_JOB)),
  // Absent: the service picks one and records it, so every job can be redrawn.
  seed: z.preprocess((v) => (absent(v) ? undefined : v), wholeNumber(0, MAX_SEED).optional()),
  negative_prompt: z.preprocess(
    (v) => (absent(v) ? undefined : v),
    z
      .string({ error: "must be text" })
      .trim()
      .max(MAX_NEGATIVE_PROMPT_LENGTH, `must be at most ${MAX_NEGATIVE_PROMPT_LENGTH} characters`)
      .transform((v) => (v === "" ? undefined : v))
      .optional(),
  ),
});
// What the service receives (defaults applied).
export type CreateJobInput = z.infer<typeof createJobInput>;

// The Idempotency-Key header of POST /api/generate-image.
export const idempotencyKeyInput = z
  .string()
  .trim()
  .min(1)
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII");

// GET /api/jobs: the list, the gallery and the search. Every filter is optional.
const dateBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (YYYY-MM-DD) or an ISO date-time" }).optional();
export const MAX_SEARCH_LENGTH = 200;
export const listJobsInput = z.object({
  limit: pageLimit(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(jobStatuses, { error: `must be one of: ${jobStatuses.join(", ")}` }).optional(),
  style: z.enum(STYLES, { error: `must be one of: ${STYLES.join(", ")}` }).optional(),
  // Free text over the prompt and negative prompt (lib/jobs/search.ts makes it safe).
  q: z.string().max(MAX_SEARCH_LENGTH, `must be at most ${MAX_SEARCH_LENGTH} characters`).optional(),
  model: z.string().trim().min(1, "must not be empty").max(200, "is not a known model").optional(),
  favourite: favouriteFilter,
  // Another person's collection, like a missing one, simply matches nothing.
  collection: uuid.optional(),
  from: dateBound,
  // A bare date is inclusive: `to=2026-01-31` keeps the whole of that day.
  to: dateBound,
  sort: z.enum(["newest", "relevance"], { error: "must be newest or relevance" }).optional(),
});
export type ListJobsInput = z.infer<typeof listJobsInput>;
