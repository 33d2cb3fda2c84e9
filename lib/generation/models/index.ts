// Picks the image model named by a job (recorded from IMAGE_MODEL when the job
// was created): `local/sketch`, the offline renderer, `<provider>:<model>` for
// a hosted model through the AI SDK, or a self-hosted GPU backend (`a1111:`,
// `comfyui:`); see ./catalog.ts for the providers. Each kind is loaded with
// import() the first time a job needs it, so a provider, SDK or client this
// server is not configured for is never loaded at all.
import "server-only";
import { getEnv } from "@/lib/env";
import { missingProviderSettings, parseModelId } from "./catalog";
import { GenerationError, type GenerationHooks, type ImageModel, type ImageRequest } from "./types";

// Test hooks (DARKROOM_TEST_HOOKS=true only). Markers in a prompt can only
// affect the caller's own job:
//  - FAIL_MARKER fails every attempt of the first run, so a test can watch a
//    job end `failed` and then succeed after retry-job;
//  - FLAKY_MARKER fails about 30 % of attempts with a transient error;
//  - REFUSE_MARKER is refused at once, like a content-policy refusal.
export const FAIL_MARKER = "[[fail]]";
export const FLAKY_MARKER = "[[flaky]]";
export const REFUSE_MARKER = "[[refuse]]";

function withTestHooks(model: ImageModel, maxAttempts: number): ImageModel {
  const inject = (request: ImageRequest) => {
    if (request.prompt.includes(FAIL_MARKER) && request.attempt <= maxAttempts) {
      throw new GenerationError("The renderer failed (injected test failure)", { retryable: true });
    }
    if (request.prompt.includes(REFUSE_MARKER)) {
      throw new GenerationError("The image model refused this prompt (content policy)", { retryable: false });
    }
    if (request.prompt.includes(FLAKY_MARKER) && Math.random() < 0.3) {
      throw new GenerationError("The image model is temporarily unavailable", { retryable: true });
    }
  };
  const batch = model.generateBatch?.bind(model);
  return {
    id: model.id,
    async generate(request, hooks) {
      inject(request);
      return model.generate(request, hooks);
    },
    ...(batch
      ? {
          async generateBatch(request: ImageRequest, n: number, hooks?: GenerationHooks) {
            inject(request);
            return batch(request, n, hooks);
          },
        }
      : {}),
  };
}

// One client per model id per process: provider clients hold no per-job state.
const globalForModels = globalThis as unknown as { __darkroomModels?: Map<string, Promise<ImageModel>> };

async function loadModel(id: string): Promise<ImageModel> {
  const env = getEnv();
  const parsed = parseModelId(id);
  if (!parsed.ok) throw new GenerationError(`Unknown image model "${id}"`, { retryable: false });
  if (parsed.ref.provider === "local") return (await import("./local-sketch")).localSketchModel;
  // A job recorded under a model this server is no longer configured for fails
  // clearly (and at once) instead of retrying against a missing key.
  if (missingProviderSettings(parsed.ref.provider, env as unknown as Record<string, string | undefined>).length > 0) {
    throw new GenerationError(`The image model "${id}" is not configured on this server`, { retryable: false });
  }
  const { provider, model } = parsed.ref;
  if (provider === "a1111") return (await import("./a1111")).createA1111Model(id, model, env);
  if (provider === "comfyui") return (await import("./comfyui")).createComfyUIModel(id, model, env);
  return (await import("./hosted")).createHostedModel(id, { provider, model }, env);
}

export async function resolveModel(id: string): Promise<ImageModel> {
  const env = getEnv();
  globalForModels.__darkroomModels ??= new Map();
  let loading = globalForModels.__darkroomModels.get(id);
  if (!loading) {
    loading = loadModel(id);
    globalForModels.__darkroomModels.set(id, loading);
    // A failed load (not configured, unknown) is not cached: the next job tries again.
    loading.catch(() => globalForModels.__darkroomModels?.delete(id));
  }
  const model = await loading;
  return env.DARKROOM_TEST_HOOKS ? withTestHooks(model, env.JOB_MAX_ATTEMPTS) : model;
}

// The operator's catalog: IMAGE_MODELS (comma-separated, the first the
// default), or the single IMAGE_MODEL as before.
export function offeredModelIds(): string[] {
  const env = getEnv();
  return env.IMAGE_MODELS.length > 0 ? env.IMAGE_MODELS : [env.IMAGE_MODEL];
}

export function configuredModelId(): string {
  return offeredModelIds()[0]!;
}
