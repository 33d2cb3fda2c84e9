// A job's generation settings as recorded: the request with every default
// applied (model, seed) and checked against what the model can do.
import "server-only";
import { createHash, randomInt } from "node:crypto";
import { InvalidInputError } from "@/lib/errors";
import { LOCAL_MODEL_ID } from "@/lib/generation/models/catalog";
import { type Caller, modelForJob } from "@/lib/models/service";
import { type CreateJobInput, MAX_SEED } from "./input";

export type JobSettings = {
  prompt: string;
  style: string;
  quality: string;
  model: string;
  aspectRatio: string;
  n: number;
  seed: number | null;
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

// The model's name in a refusal, so a client knows which one to change.
const lacks = (field: string, model: string, what: string) => new InvalidInputError(field, `the model "${model}" ${what}`);

export async function resolveSettings(caller: Caller, input: CreateJobInput): Promise<JobSettings> {
  const model = await modelForJob(caller, input.model);
  const can = model.capabilities;
  // Never silently ignored: a setting the model cannot honour is refused.
  if (!can.aspect_ratios.includes(input.aspect_ratio)) throw lacks("aspect_ratio", model.id, `supports only ${can.aspect_ratios.join(", ")}`);
  if (input.n > can.max_n) throw lacks("n", model.id, `makes at most ${can.max_n} images per job`);
  if (input.seed !== undefined && !can.seed) throw lacks("seed", model.id, "does not take a seed");
  if (input.negative_prompt !== undefined && !can.negative_prompt) throw lacks("negative_prompt", model.id, "does not take a negative prompt");
  return {
    prompt: input.prompt,
    style: input.style,
    quality: input.quality,
    model: model.id,
    aspectRatio: input.aspect_ratio,
    n: input.n,
    // A model without seeds records none: a number would promise a redraw it cannot keep.
    seed: can.seed ? (input.seed ?? defaultSeed(model.id, input)) : null,
    negativePrompt: input.negative_prompt ?? null,
    // Every image counts against the daily quota, times the model's cost.
    units: input.n * model.cost,
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
