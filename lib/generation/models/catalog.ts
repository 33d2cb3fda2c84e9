// What `IMAGE_MODEL` may name, which variables each provider needs, and how a
// job's style and quality become each provider's parameters. Pure data and
// functions (no SDK, no env access), so env validation can use it at start-up.

export const LOCAL_MODEL_ID = "local/sketch";

export const PROVIDERS = {
  openai: { label: "OpenAI", needs: [["OPENAI_API_KEY"]] },
  google: { label: "Google", needs: [["GOOGLE_GENERATIVE_AI_API_KEY"]] },
  replicate: { label: "Replicate", needs: [["REPLICATE_API_TOKEN"]] },
  fal: { label: "fal", needs: [["FAL_API_KEY", "FAL_KEY"]] },
  togetherai: { label: "Together AI", needs: [["TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"]] },
  // Any server speaking the OpenAI images API (LocalAI, vLLM, a gateway...).
  compatible: { label: "the image service", needs: [["IMAGE_BASE_URL"]] },
} as const satisfies Record<string, { label: string; needs: readonly (readonly string[])[] }>;

export type ProviderName = keyof typeof PROVIDERS;

export type ModelRef = { provider: "local"; model: "sketch" } | { provider: ProviderName; model: string };

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,199}$/;

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
  if (!MODEL_NAME.test(model)) return { ok: false, reason: `"${model}" is not a valid model name` };
  // The AI SDK's Google provider renders with Gemini image models only (Imagen was dropped).
  if (provider === "google" && !model.startsWith("gemini-")) return { ok: false, reason: `Google image models must be Gemini models ("google:gemini-…")` };
  return { ok: true, ref: { provider: provider as ProviderName, model } };
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
  providerOptions?: Record<string, Record<string, string>>;
};

function withPhrases(prompt: string, style: string, addDetail: boolean): string {
  const phrases = [STYLE_PHRASES[style], addDetail ? DETAIL_PHRASE : undefined].filter(Boolean);
  return phrases.length > 0 ? `${prompt}\n\nStyle: ${phrases.join("; ")}.` : prompt;
}

// Style and quality as each provider understands them: a real parameter where the
// model has one, a phrase appended to the prompt otherwise. Deterministic, so the
// parameters of any job can be recomputed from its recorded model, style and quality.
export function imageCallOptions(
  ref: { provider: ProviderName; model: string },
  request: { prompt: string; style: string; quality: string },
): ImageCallOptions {
  const high = request.quality === "high";
  const { model } = ref;
  switch (ref.provider) {
    case "openai":
      if (model.startsWith("dall-e-3")) {
        return {
          prompt: withPhrases(request.prompt, request.style, false),
          size: "1024x1024",
          providerOptions: { openai: { quality: high ? "hd" : "standard", style: request.style === "realistic" ? "natural" : "vivid" } },
        };
      }
      if (model.startsWith("dall-e-2")) {
        return { prompt: withPhrases(request.prompt, request.style, high), size: high ? "1024x1024" : "512x512" };
      }
      // gpt-image-* and newer: square, with a quality knob.
      return {
        prompt: withPhrases(request.prompt, request.style, false),
        size: "1024x1024",
        providerOptions: { openai: { quality: high ? "high" : "medium" } },
      };
    case "google":
    case "replicate":
      // Aspect-ratio models without a portable quality setting.
      return { prompt: withPhrases(request.prompt, request.style, high), aspectRatio: "1:1" };
    case "fal":
    case "togetherai":
    case "compatible":
      return { prompt: withPhrases(request.prompt, request.style, false), size: high ? "1024x1024" : "512x512" };
  }
}
