// What `IMAGE_MODEL` may name, which variables each provider needs, and how a
// job's style and quality become each provider's parameters. Pure data and
// functions (no SDK, no env access), so env validation can use it at start-up.

import { OPENAI_SIZES, openAIFamily, pixelSize } from "./capabilities";

export const LOCAL_MODEL_ID = "local/sketch";

export const PROVIDERS = {
  openai: { label: "OpenAI", needs: [["OPENAI_API_KEY"]] },
  google: { label: "Google", needs: [["GOOGLE_GENERATIVE_AI_API_KEY"]] },
  replicate: { label: "Replicate", needs: [["REPLICATE_API_TOKEN"]] },
  fal: { label: "fal", needs: [["FAL_API_KEY", "FAL_KEY"]] },
  togetherai: { label: "Together AI", needs: [["TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"]] },
  // Any server speaking the OpenAI images API (LocalAI, vLLM, a gateway...).
  compatible: { label: "the image service", needs: [["IMAGE_BASE_URL"]] },
  // Self-hosted GPU backends (see ./a1111.ts and ./comfyui.ts).
  a1111: { label: "AUTOMATIC1111", needs: [["A1111_BASE_URL"]] },
  comfyui: { label: "ComfyUI", needs: [["COMFYUI_BASE_URL"]] },
} as const satisfies Record<string, { label: string; needs: readonly (readonly string[])[] }>;

export type ProviderName = keyof typeof PROVIDERS;

export type ModelRef = { provider: "local"; model: "sketch" } | { provider: ProviderName; model: string };

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,199}$/;
// AUTOMATIC1111 names a checkpoint by its title, e.g. "sd_xl_base_1.0.safetensors [31e35c80fc]":
// spaces, dots, brackets and sub-folders. Anything printable but a comma (IMAGE_MODELS
// separates ids with commas) and without surrounding spaces (they are trimmed).
const A1111_TITLE = /^[^\s,\p{Cc}][^,\p{Cc}]{0,198}[^\s,\p{Cc}]$|^[^\s,\p{Cc}]$/u;
// A ComfyUI workflow is a file name in COMFYUI_WORKFLOWS_DIR: no path separators, no "..".
const COMFYUI_WORKFLOW = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

// `<provider>:<model>`; the model part may itself contain `/` and `:` (Replicate versions).
export function parseModelId(id: string): { ok: true; ref: ModelRef } | { ok: false; reason: string } {
  if (id === LOCAL_MODEL_ID) return { ok: true, ref: { provider: "local", model: "sketch" } };
  const colon = id.indexOf(":");
  if (colon === -1) return { ok: false, reason: `must be "${LOCAL_MODEL_ID}" or "<provider>:<model>" (e.g. "openai:gpt-image-1")` };
  const provider = id.slice(0, colon);
  const model = id.slice(colon + 1);
  if (!Object.hasOwn(PROVIDERS, provider)) {
    return { ok: false, reason: `unknown provider "${provider}"; use one of: ${Object.keys(PROVIDERS).join(", ")}` };
  }
  if (provider === "a1111") {
    if (!A1111_TITLE.test(model)) return { ok: false, reason: `"${model}" is not a valid AUTOMATIC1111 checkpoint title` };
    return { ok: true, ref: { provider, model } };
  }
  if (provider === "comfyui") {
    if (!COMFYUI_WORKFLOW.test(model)) return { ok: false, reason: `"${model}" is not a valid ComfyUI workflow name (letters, digits, "_" and "-")` };
    return { ok: true, ref: { provider, model } };
  }
  if (!MODEL_NAME.test(model)) return { ok: false, reason: `"${model}" is not a valid model name` };
  // The AI SDK's Google provider renders with Gemini image models only (Imagen was dropped).
  if (provider === "google" && !model.startsWith("gemini-")) return { ok: false, reason: `Google image models must be Gemini models ("google:gemini-…")` };
  return { ok: true, ref: { provider: provider as ProviderName, model } };
}

export function modelLabel(id: string, ref: ModelRef): string {
  if (id === LOCAL_MODEL_ID) return "Offline sketch (local, no network)";
  return `${ref.model} (${PROVIDERS[ref.provider as ProviderName].label})`;
}

// The variables a provider cannot work without (one of each group). Empty when satisfied.
export function missingProviderSettings(provider: ProviderName, env: Record<string, string | undefined>): string[] {
  return PROVIDERS[provider].needs.filter((group) => !group.some((name) => env[name])).map((group) => group.join(" or "));
}

export const STYLE_PHRASES: Record<string, string> = {
  realistic: "photorealistic, natural light, fine detail",
  anime: "anime style, clean line art, cel shading",
  "digital-art": "digital art, vivid colours",
  watercolor: "watercolor painting on textured paper, soft washes",
  "oil-painting": "oil painting with visible brush strokes",
  sketch: "pencil sketch, cross-hatching, monochrome",
  "pixel-art": "pixel art, limited palette, crisp pixels",
  "3d-render": "3D render, studio lighting, soft shadows",
};
const DETAIL_PHRASE = "highly detailed, high resolution";

export type ImageCallOptions = {
  prompt: string;
  size?: `${number}x${number}`;
  aspectRatio?: `${number}:${number}`;
  seed?: number;
  providerOptions?: Record<string, Record<string, string>>;
};

export function withPhrases(prompt: string, style: string, addDetail: boolean): string {
  const phrases = [STYLE_PHRASES[style], addDetail ? DETAIL_PHRASE : undefined].filter(Boolean);
  return phrases.length > 0 ? `${prompt}\n\nStyle: ${phrases.join("; ")}.` : prompt;
}

export type CallRequest = { prompt: string; style: string; quality: string; aspectRatio?: string; seed?: number };

// Style, quality, aspect ratio and seed as each provider understands them: a
// real parameter where the model has one, a phrase appended to the prompt
// otherwise. Deterministic, so the parameters of any job can be recomputed from
// what it recorded. Requests were checked against capabilitiesOf() when the job
// was created; a seed is sent only to providers that take one.
export function imageCallOptions(ref: { provider: ProviderName; model: string }, request: CallRequest): ImageCallOptions {
  const high = request.quality === "high";
  const ratio = (request.aspectRatio ?? "1:1") as `${number}:${number}`;
  const { model } = ref;
  const pixels = pixelSize(ratio, request.quality);
  const size = `${pixels.width}x${pixels.height}` as const;
  switch (ref.provider) {
    case "openai": {
      const family = openAIFamily(model);
      const openaiSize = OPENAI_SIZES[family]![ratio] ?? "1024x1024";
      if (family === "dall-e-3") {
        return {
          prompt: withPhrases(request.prompt, request.style, false),
          size: openaiSize,
          providerOptions: { openai: { quality: high ? "hd" : "standard", style: request.style === "realistic" ? "natural" : "vivid" } },
        };
      }
      if (family === "dall-e-2") {
        return { prompt: withPhrases(request.prompt, request.style, high), size: high ? "1024x1024" : "512x512" };
      }
      // gpt-image-* and newer: three sizes, with a quality knob.
      return {
        prompt: withPhrases(request.prompt, request.style, false),
        size: openaiSize,
        providerOptions: { openai: { quality: high ? "high" : "medium" } },
      };
    }
    case "google":
      // An aspect ratio and no portable quality setting (or seed).
      return { prompt: withPhrases(request.prompt, request.style, high), aspectRatio: ratio };
    case "replicate":
      return { prompt: withPhrases(request.prompt, request.style, high), aspectRatio: ratio, seed: request.seed };
    case "fal":
    case "togetherai":
      return { prompt: withPhrases(request.prompt, request.style, false), size, seed: request.seed };
    case "compatible":
      return { prompt: withPhrases(request.prompt, request.style, false), size };
    case "a1111":
    case "comfyui":
      // Self-hosted diffusion: real pixel sizes, a seed, the style as a phrase.
      return { prompt: withPhrases(request.prompt, request.style, false), size, seed: request.seed };
  }
}
