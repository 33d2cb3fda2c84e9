// Picks the image model named by IMAGE_MODEL. Hosted providers arrive with the
// production-engines work; the default is the offline renderer.
import "server-only";
import { getEnv } from "@/lib/env";
import { localSketchModel } from "./local-sketch";
import { GenerationError, type ImageModel } from "./types";

// Test hook (DARKROOM_TEST_HOOKS=true only): a prompt containing FAIL_MARKER
// fails every attempt of its first run, so a test can watch a job end
// `failed` and then succeed after retry-job. It can only fail the caller's own job.
export const FAIL_MARKER = "[[fail]]";

function withTestHooks(model: ImageModel, maxAttempts: number): ImageModel {
  return {
    id: model.id,
    async generate(request) {
      if (request.prompt.includes(FAIL_MARKER) && request.attempt <= maxAttempts) {
        throw new GenerationError("The renderer failed (injected test failure)", { retryable: true });
      }
      return model.generate(request);
    },
  };
}

export function resolveModel(id: string): ImageModel {
  const env = getEnv();
  if (id !== localSketchModel.id) throw new GenerationError(`Unknown image model "${id}"`, { retryable: false });
  return env.DARKROOM_TEST_HOOKS ? withTestHooks(localSketchModel, env.JOB_MAX_ATTEMPTS) : localSketchModel;
}

export function configuredModelId(): string {
  return getEnv().IMAGE_MODEL;
}
