// What a generation request may contain.
import { z } from "zod";
import { jobStatuses } from "@/db/schema";
import { pageLimit } from "@/lib/http/query";

export const STYLES = ["realistic", "anime", "digital-art", "watercolor", "oil-painting", "sketch", "pixel-art", "3d-render"] as const;
export const QUALITIES = ["standard", "high"] as const;
export type Style = (typeof STYLES)[number];
export type Quality = (typeof QUALITIES)[number];
export const MAX_PROMPT_LENGTH = 2000;

const choice = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess((v) => (v === undefined || v === null || v === "" ? fallback : v), z.enum(values, { error: `must be one of: ${values.join(", ")}` }));

export const createJobSchema = z.object({
  prompt: z
    .string({ error: "is required and must be text" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`),
  style: choice(STYLES, "realistic"),
  quality: choice(QUALITIES, "standard"),
});
export type CreateJobInput = z.infer<typeof createJobSchema>;

export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII");

export const listJobsSchema = z.object({
  limit: pageLimit(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(jobStatuses, { error: `must be one of: ${jobStatuses.join(", ")}` }).optional(),
  style: z.enum(STYLES, { error: `must be one of: ${STYLES.join(", ")}` }).optional(),
});
export type ListJobsInput = z.infer<typeof listJobsSchema>;
