// What POST /v1/images/generations accepts: OpenAI's image request, parsed
// strictly (wrong types are 400s, never casts), and how its fields map to a
// Darkroom job. The mapping is documented in docs/integrations.md.
// No HTTP here: the route parses with `generationInput`, the service maps.
import { z } from "zod";
import { STYLES, type Style } from "@/lib/client/options";
import { ASPECT_RATIOS } from "@/lib/client/settings";

// OpenAI's own range for `n`; Darkroom makes at most 4 per job and says so (400).
export const OPENAI_MAX_N = 10;
export const OPENAI_QUALITIES = ["standard", "hd", "low", "medium", "high", "xhigh", "max", "auto"] as const;
export const OPENAI_STYLES = ["vivid", "natural"] as const;
export const RESPONSE_FORMATS = ["url", "b64_json"] as const;

// OpenAI's SDKs send `null` for "not set"; it means the same as absent.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema.optional());
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of: ${values.join(", ")}` });

export const generationInput = z.object({
  // Checked (and trimmed, and capped at 2000 characters) by the job rules themselves.
  prompt: z.string({ error: "is required and must be a string" }),
  model: optional(z.string({ error: "must be a string" }).max(200, "is not a known model")),
  n: optional(
    z
      .number({ error: `must be an integer from 1 to ${OPENAI_MAX_N}` })
      .int(`must be an integer from 1 to ${OPENAI_MAX_N}`)
      .min(1, `must be an integer from 1 to ${OPENAI_MAX_N}`)
      .max(OPENAI_MAX_N, `must be an integer from 1 to ${OPENAI_MAX_N}`),
  ),
  size: optional(z.string({ error: "must be a string" }).regex(/^(auto|[1-9]\d{1,4}x[1-9]\d{1,4})$/, "must be auto or WIDTHxHEIGHT, e.g. 1024x1024")),
  quality: optional(oneOf(OPENAI_QUALITIES)),
  // Darkroom's own style names are accepted too, for clients that can pass them.
  style: optional(oneOf([...OPENAI_STYLES, ...STYLES])),
  response_format: optional(oneOf(RESPONSE_FORMATS)),
  // Streaming partial images is not offered: refused rather than ignored.
  stream: optional(z.literal(false, { error: "streaming is not supported here; send stream: false or leave it out" })),
  // OpenAI's end-user id: accepted and ignored (the key already says who is asking).
  user: optional(z.string({ error: "must be a string" })),
});
export type GenerationInput = z.infer<typeof generationInput>;

// Maps a size to the nearest aspect ratio the model offers (by the ratio's
// logarithm, so 3:2 and 2:3 are equally far from 1:1). `auto` is square.
export function aspectRatioFor(size: string | undefined, offered: readonly string[]): string {
  const choices = offered.length > 0 ? offered : ASPECT_RATIOS;
  const [w, h] = size && size !== "auto" ? size.split("x").map(Number) : [1, 1];
  const wanted = Math.log(w! / h!);
  let best = choices[0]!;
  let distance = Number.POSITIVE_INFINITY;
  for (const ratio of choices) {
    const [a, b] = ratio.split(":").map(Number);
    const d = Math.abs(Math.log(a! / b!) - wanted);
    if (d < distance - 1e-9) [best, distance] = [ratio, d];
  }
  return best;
}

// An explicit quality decides; `auto` or none follows the size asked for:
// above 768 pixels on the longer side is Darkroom's "high" (about a megapixel),
// else "standard" (half each side). So 1024x1024 gives 1024x1024, 512x512 gives 512x512.
export function qualityFor(quality: GenerationInput["quality"], size: string | undefined): "standard" | "high" {
  if (quality === "hd" || quality === "high" || quality === "xhigh" || quality === "max") return "high";
  if (quality === "standard" || quality === "low" || quality === "medium") return "standard";
  if (!size || size === "auto") return "high";
  return Math.max(...size.split("x").map(Number)) > 768 ? "high" : "standard";
}

// vivid (OpenAI: "hyper-real and dramatic") → digital-art; natural or none → realistic.
export function styleFor(style: GenerationInput["style"]): Style {
  if (style === "vivid") return "digital-art";
  if (style === undefined || style === "natural") return "realistic";
  return style;
}

// Darkroom's job fields named by the OpenAI field they came from, for a 400's `param`.
export const OPENAI_PARAM: Record<string, string> = { aspect_ratio: "size", quality: "quality", style: "style", n: "n", prompt: "prompt", model: "model" };
