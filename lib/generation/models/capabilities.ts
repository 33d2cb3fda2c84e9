// What each model of the catalog can honour, and each provider's own name for
// a size. Pure data (no SDK, no env), shared by the request checks, GET
// /api/models and the provider mapping in ./catalog.ts. A setting a model
// lacks is refused with a 400 when the job is requested, never dropped.
import type { ModelRef } from "./catalog";

export const ALL_ASPECT_RATIOS = ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"] as const;

export type Capabilities = { aspect_ratios: string[]; max_n: number; seed: boolean; negative_prompt: boolean };

// Pixel sizes per aspect ratio at "high" quality (about one megapixel, sides
// multiples of 32 like the SDXL buckets); "standard" is half of each side, so a
// square stays 512×512 / 1024×1024 as before aspect ratios existed.
export const PIXEL_SIZES: Record<string, [number, number]> = {
  "1:1": [1024, 1024],
  "4:3": [1152, 864],
  "3:4": [864, 1152],
  "3:2": [1216, 832],
  "2:3": [832, 1216],
  "16:9": [1344, 768],
  "9:16": [768, 1344],
};

export function pixelSize(aspectRatio: string, quality: string): { width: number; height: number } {
  const [w, h] = PIXEL_SIZES[aspectRatio] ?? PIXEL_SIZES["1:1"]!;
  return quality === "high" ? { width: w, height: h } : { width: w / 2, height: h / 2 };
}

// OpenAI's image models take only these sizes (the ratio they stand for).
export const OPENAI_SIZES: Record<string, Record<string, `${number}x${number}`>> = {
  "gpt-image": { "1:1": "1024x1024", "3:2": "1536x1024", "2:3": "1024x1536" },
  "dall-e-3": { "1:1": "1024x1024", "16:9": "1792x1024", "9:16": "1024x1792" },
  "dall-e-2": { "1:1": "1024x1024" },
};

export function openAIFamily(model: string): keyof typeof OPENAI_SIZES {
  if (model.startsWith("dall-e-3")) return "dall-e-3";
  if (model.startsWith("dall-e-2")) return "dall-e-2";
  return "gpt-image";
}

// Darkroom asks hosted providers for one image per call (image i with seed + i),
// so every model can make MAX_N images; GPU backends render the n images as one
// batch with the same seeds.
const MAX_N = 4;

export function capabilitiesOf(ref: ModelRef): Capabilities {
  const all = [...ALL_ASPECT_RATIOS];
  switch (ref.provider) {
    case "local":
      return { aspect_ratios: all, max_n: MAX_N, seed: true, negative_prompt: true };
    case "openai":
      // No seed and no negative prompt in OpenAI's images API.
      return { aspect_ratios: Object.keys(OPENAI_SIZES[openAIFamily(ref.model)]!), max_n: MAX_N, seed: false, negative_prompt: false };
    case "google":
      // Gemini image models take an aspect ratio; the AI SDK sends no seed for them.
      return { aspect_ratios: all, max_n: MAX_N, seed: false, negative_prompt: false };
    case "replicate":
    case "fal":
    case "togetherai":
      // Seeds are part of these APIs; negative prompts exist only on some of their models, so not offered.
      return { aspect_ratios: all, max_n: MAX_N, seed: true, negative_prompt: false };
    case "compatible":
      // The OpenAI images protocol: any "WxH" size, no seed.
      return { aspect_ratios: all, max_n: MAX_N, seed: false, negative_prompt: false };
    case "a1111":
    case "comfyui":
      // Diffusion backends take any size, a seed and a negative prompt (a
      // ComfyUI workflow whose map names no negative-prompt input ignores it,
      // see docs/deploy.md). A batch of up to MAX_N renders in one pass.
      return { aspect_ratios: all, max_n: MAX_N, seed: true, negative_prompt: true };
  }
}
