// A job's generation settings as the browser handles them: the studio's
// pre-fill from the address bar ("Use these settings") and the link that
// carries them there. Plain data, no server code; the server re-checks all.

import type { PublicJob } from "@/lib/jobs/public";
import { isQuality, isStyle, type Quality, type Style } from "./options";

export const ASPECT_RATIOS = ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export const isAspectRatio = (value: unknown): value is AspectRatio => ASPECT_RATIOS.some((r) => r === value);

export type Settings = {
  prompt?: string;
  style?: Style;
  quality?: Quality;
  model?: string;
  aspect_ratio?: AspectRatio;
  n?: number;
  seed?: number;
  negative_prompt?: string;
};

const whole = (value: string | undefined, min: number, max: number) => {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
};

// Only values that could be valid are kept; anything else falls back to the form's default.
export function settingsFromQuery(query: Record<string, string | string[] | undefined>): Settings {
  const one = (key: string) => {
    const v = query[key];
    return typeof v === "string" ? v : undefined;
  };
  const style = one("style");
  const quality = one("quality");
  const ratio = one("aspect_ratio");
  return {
    prompt: one("prompt")?.slice(0, 2000),
    style: isStyle(style) ? style : undefined,
    quality: isQuality(quality) ? quality : undefined,
    model: one("model")?.slice(0, 200),
    aspect_ratio: isAspectRatio(ratio) ? ratio : undefined,
    n: whole(one("n"), 1, 4),
    seed: whole(one("seed"), 0, 2147483647),
    negative_prompt: one("negative_prompt")?.slice(0, 1000),
  };
}

export function settingsHref(job: Pick<PublicJob, "prompt" | "style" | "quality" | "model" | "aspect_ratio" | "n" | "seed" | "negative_prompt">): string {
  const query = new URLSearchParams({
    prompt: job.prompt,
    style: job.style,
    quality: job.quality,
    model: job.model,
    aspect_ratio: job.aspect_ratio,
    n: String(job.n),
  });
  if (job.seed !== null) query.set("seed", String(job.seed));
  if (job.negative_prompt) query.set("negative_prompt", job.negative_prompt);
  return `/?${query.toString()}`;
}
