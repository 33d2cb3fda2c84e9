// Hosted image models through the AI SDK's `generateImage`: OpenAI, Google,
// Replicate, fal, Together AI and any OpenAI-compatible endpoint. Keys and base
// URLs come from the validated environment, never from a job or a request.
import "server-only";
import { createFal } from "@ai-sdk/fal";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { createReplicate } from "@ai-sdk/replicate";
import { createTogetherAI } from "@ai-sdk/togetherai";
import { generateImage, type ImageModel as SdkImageModel } from "ai";
import type { Env } from "@/lib/env";
import { logger } from "@/lib/log";
import { imageCallOptions, PROVIDERS, type ProviderName } from "./catalog";
import { classifyProviderError, redact } from "./errors";
import { normalise } from "./normalise";
import { GenerationError, type ImageModel } from "./types";

export type HostedSettings = Pick<
  Env,
  | "IMAGE_TIMEOUT_MS"
  | "IMAGE_BASE_URL"
  | "IMAGE_API_KEY"
  | "OPENAI_API_KEY"
  | "OPENAI_BASE_URL"
  | "GOOGLE_GENERATIVE_AI_API_KEY"
  | "GOOGLE_GENERATIVE_AI_BASE_URL"
  | "REPLICATE_API_TOKEN"
  | "FAL_API_KEY"
  | "FAL_KEY"
  | "TOGETHER_API_KEY"
  | "TOGETHER_AI_API_KEY"
>;

const SECRET_SETTINGS = [
  "IMAGE_API_KEY",
  "OPENAI_API_KEY",
  "GOOGLE_GENERATIVE_AI_API_KEY",
  "REPLICATE_API_TOKEN",
  "FAL_API_KEY",
  "FAL_KEY",
  "TOGETHER_API_KEY",
  "TOGETHER_AI_API_KEY",
] as const;

function sdkModel(provider: ProviderName, model: string, s: HostedSettings): SdkImageModel {
  switch (provider) {
    case "openai":
      return createOpenAI({ apiKey: s.OPENAI_API_KEY, baseURL: s.OPENAI_BASE_URL }).image(model);
    case "google":
      return createGoogleGenerativeAI({ apiKey: s.GOOGLE_GENERATIVE_AI_API_KEY, baseURL: s.GOOGLE_GENERATIVE_AI_BASE_URL }).image(model);
    case "replicate":
      return createReplicate({ apiToken: s.REPLICATE_API_TOKEN }).image(model);
    case "fal":
      return createFal({ apiKey: s.FAL_API_KEY ?? s.FAL_KEY }).image(model);
    case "togetherai":
      return createTogetherAI({ apiKey: s.TOGETHER_API_KEY ?? s.TOGETHER_AI_API_KEY }).image(model);
    case "compatible":
      if (!s.IMAGE_BASE_URL) throw new GenerationError("The image service is not configured on this server", { retryable: false });
      return createOpenAICompatible({ name: "compatible", baseURL: s.IMAGE_BASE_URL, apiKey: s.IMAGE_API_KEY }).imageModel(model);
    default:
      // Self-hosted backends have their own clients (./a1111.ts, ./comfyui.ts).
      throw new GenerationError(`${PROVIDERS[provider].label} is not a hosted provider`, { retryable: false });
  }
}

export function createHostedModel(id: string, ref: { provider: ProviderName; model: string }, settings: HostedSettings): ImageModel {
  const label = PROVIDERS[ref.provider].label;
  const secrets = SECRET_SETTINGS.map((name) => settings[name]);
  let model: SdkImageModel | undefined;
  return {
    id,
    async generate(request) {
      model ??= sdkModel(ref.provider, ref.model, settings);
      const call = imageCallOptions(ref, request);
      const started = Date.now();
      try {
        const result = await generateImage({
          model,
          prompt: call.prompt,
          // One image per call: image i of a job is drawn with seed + i (see workflow.ts).
          n: 1,
          seed: call.seed,
          size: call.size,
          aspectRatio: call.aspectRatio,
          providerOptions: call.providerOptions,
          // The job engine retries whole attempts with backoff (and counts them);
          // SDK retries on top would multiply every attempt's provider calls.
          maxRetries: 0,
          abortSignal: AbortSignal.timeout(settings.IMAGE_TIMEOUT_MS),
        });
        return await normalise(result.image.uint8Array, label);
      } catch (error) {
        if (error instanceof GenerationError) throw error;
        const failure = classifyProviderError(error, label);
        // Operators get the provider's words (scrubbed of keys); the job's owner gets ours. No prompt in the log.
        logger.warn({
          event: "image_provider_error",
          model: id,
          kind: failure.kind,
          status: failure.status ?? null,
          retryable: failure.error.retryable,
          elapsed_ms: Date.now() - started,
          detail: redact(failure.detail, secrets),
        });
        throw failure.error;
      }
    },
  };
}
