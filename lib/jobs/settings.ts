// A job's generation settings as recorded: the request with every default
// applied (model, seed) and checked against what the model can do.
import "server-only";
import { createHash, randomInt } from "node:crypto";
import { InvalidInputError } from "@/lib/errors";
import { configuredModelId, offeredModelIds } from "@/lib/generation/models";
import { LOCAL_MODEL_ID } from "@/lib/generation/models/catalog";
import { type CreateJobInput, MAX_SEED } from "./input";

export type JobSettings = {
  prompt: string;
  style: string;
  quality: string;
  model: string;
  aspectRatio: string;
  n: number;
  seed: number;
  negativePrompt: string | null;
  units: number;
};

// The offline renderer has always drawn the same request identically, and
// clients rely on it: without a seed its seed is derived from the request.
// Every other model gets a random seed, recorded so the job can be redrawn.
function defaultSeed(model: string, input: CreateJobInput): number {
  if (model !== LOCAL_MODEL_ID) return randomInt(0, MAX_SEED + 1);
  const digest = createHash("sha256")
    .update(JSON.stringify([input.prompt, input.style, input.quality, input.aspect_ratio, input.negative_prompt ?? null]))
    .digest();
  return digest.readUInt32LE(0) & MAX_SEED;
}

export async function resolveSettings(_userId: string, input: CreateJobInput): Promise<JobSettings> {
  const model = input.model ?? configuredModelId();
  if (!offeredModelIds().includes(model)) throw new InvalidInputError("model", `"${model}" is not offered here; GET /api/models lists the models you can use`);
  return {
    prompt: input.prompt,
    style: input.style,
    quality: input.quality,
    model,
    aspectRatio: input.aspect_ratio,
    n: input.n,
    seed: input.seed ?? defaultSeed(model, input),
    negativePrompt: input.negative_prompt ?? null,
    units: input.n,
  };
}

// An Idempotency-Key replay must ask for the same thing. A seed the first
// request left to the server is not part of the question.
export function sameSettings(
  job: { prompt: string; style: string; quality: string; model: string; aspectRatio: string; n: number; seed: number | null; negativePrompt: string | null },
  settings: JobSettings,
  seedGiven: boolean,
): boolean {
  return (
    job.prompt === settings.prompt &&
    job.style === settings.style &&
    job.quality === settings.quality &&
    job.model === settings.model &&
    job.aspectRatio === settings.aspectRatio &&
    job.n === settings.n &&
    job.negativePrompt === settings.negativePrompt &&
    (!seedGiven || job.seed === settings.seed)
  );
}
