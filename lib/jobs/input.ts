// What a request about image jobs may contain: the zod schemas every
// transport (route handlers, pages, the browser client) parses with.
// No HTTP here: a failed parse becomes InvalidInputError in lib/http/body.ts.
import { z } from "zod";
import { jobStatuses } from "@/db/schema";
import { pageLimit } from "@/lib/page";

export const STYLES = ["realistic", "anime", "digital-art", "watercolor", "oil-painting", "sketch", "pixel-art", "3d-render"] as const;
export const QUALITIES = ["standard", "high"] as const;
export type Style = (typeof STYLES)[number];
export type Quality = (typeof QUALITIES)[number];
export const MAX_PROMPT_LENGTH = 2000;

const choice = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess((v) => (v === undefined || v === null || v === "" ? fallback : v), z.enum(values, { error: `must be one of: ${values.join(", ")}` }));

// POST /api/generate-image
export const createJobInput = z.object({
  prompt: z
    .string({ error: "is required and must be text" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`),
  style: choice(STYLES, "realistic"),
  quality: choice(QUALITIES, "standard"),
});
// What the service receives (defaults applied) and what a client may send
// (the preprocessed choices read `unknown` in z.input, so they are narrowed here).
export type CreateJobInput = z.infer<typeof createJobInput>;
export type CreateJobRequest = Omit<z.input<typeof createJobInput>, "style" | "quality"> & { style?: Style; quality?: Quality };

// The Idempotency-Key header of POST /api/generate-image.
export const idempotencyKeyInput = z
  .string()
  .trim()
  .min(1)
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII");

// GET /api/jobs
export const listJobsInput = z.object({
  limit: pageLimit(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(jobStatuses, { error: `must be one of: ${jobStatuses.join(", ")}` }).optional(),
  style: z.enum(STYLES, { error: `must be one of: ${STYLES.join(", ")}` }).optional(),
});
export type ListJobsInput = z.infer<typeof listJobsInput>;
