// AUTOMATIC1111 / Forge / SD.Next API shapes, as pure functions: the
// txt2img request a job becomes, and the readers for the answers. Field names
// are those of stable-diffusion-webui's modules/api/models.py
// (StableDiffusionTxt2ImgProcessingAPI, TextToImageResponse, ProgressResponse)
// and modules/api/api.py (text2imgapi, progressapi, get_sd_models).
import { z } from "zod";
import { imageCallOptions } from "./catalog";
import type { ImageRequest } from "./types";

export type A1111Defaults = { sampler: string; steps: number; cfgScale: number };

export function txt2imgPayload(title: string, request: ImageRequest, n: number, defaults: A1111Defaults, taskId: string) {
  const call = imageCallOptions({ provider: "a1111", model: title }, request);
  const [width, height] = call.size!.split("x").map(Number) as [number, number];
  return {
    prompt: call.prompt,
    negative_prompt: request.negativePrompt ?? "",
    // A1111 draws image i of a batch with seed + i (processing.py all_seeds), like Darkroom.
    seed: request.seed ?? -1,
    width,
    height,
    batch_size: n,
    n_iter: 1,
    steps: defaults.steps,
    cfg_scale: defaults.cfgScale,
    sampler_name: defaults.sampler,
    // The checkpoint for this request only; restored afterwards so other
    // users of the backend keep theirs.
    override_settings: { sd_model_checkpoint: title },
    override_settings_restore_afterwards: true,
    // api.py: `task_id = txt2imgreq.force_task_id or create_task_id("txt2img")`,
    // reported as `current_task` by /sdapi/v1/progress: how we know the backend
    // is rendering this job (and not someone else's) before showing a preview
    // or interrupting it.
    force_task_id: taskId,
    // save_images=false sets do_not_save_samples and do_not_save_grid: nothing
    // written to the backend's outputs/ folder, no grid image in the answer.
    save_images: false,
    send_images: true,
  };
}

const txt2imgAnswer = z.object({ images: z.array(z.string()).nullable(), info: z.string().optional().nullable() });

export type Txt2ImgImages = { ok: true; images: Uint8Array[] } | { ok: false; reason: string };

// The `n` images of the answer as bytes. `info` is a JSON string whose
// `index_of_first_image` is 1 when a grid image leads the list (it should not
// with save_images=false, but a backend option can force one).
export function readTxt2ImgAnswer(body: unknown, n: number): Txt2ImgImages {
  const parsed = txt2imgAnswer.safeParse(body);
  if (!parsed.success) return { ok: false, reason: "the answer has no images list" };
  let first = 0;
  try {
    const info = parsed.data.info ? (JSON.parse(parsed.data.info) as { index_of_first_image?: unknown }) : {};
    if (typeof info.index_of_first_image === "number") first = info.index_of_first_image;
  } catch {}
  const images = (parsed.data.images ?? []).slice(first, first + n).map((b64) => Buffer.from(b64.replace(/^data:image\/\w+;base64,/, ""), "base64"));
  if (images.length !== n) return { ok: false, reason: `expected ${n} images, got ${images.length}` };
  if (images.some((bytes) => bytes.length === 0)) return { ok: false, reason: "an image is empty" };
  return { ok: true, images };
}

const progressAnswer = z.object({
  progress: z.number().optional(),
  state: z
    .object({ sampling_step: z.number().optional(), sampling_steps: z.number().optional(), job_no: z.number().optional(), job_count: z.number().optional() })
    .partial()
    .optional(),
  current_image: z.string().nullable().optional(),
  current_task: z.string().nullable().optional(),
});

export type A1111Progress = { currentTask: string | null; step: number; steps: number; preview?: Uint8Array };

// GET /sdapi/v1/progress. `current_task` exists since webui 1.6 (older versions
// cannot say whose render is running, so they report no progress at all).
export function readProgress(body: unknown): A1111Progress | undefined {
  const parsed = progressAnswer.safeParse(body);
  if (!parsed.success) return undefined;
  const { state, current_image, current_task } = parsed.data;
  const steps = Math.max(0, Math.round(state?.sampling_steps ?? 0));
  const step = Math.min(steps, Math.max(0, Math.round(state?.sampling_step ?? 0)));
  const preview = current_image ? Buffer.from(current_image.replace(/^data:image\/\w+;base64,/, ""), "base64") : undefined;
  return { currentTask: current_task ?? null, step, steps, preview: preview && preview.length > 0 ? preview : undefined };
}

const sdModels = z.array(z.object({ title: z.string(), model_name: z.string().optional() }));

export function readCheckpointTitles(body: unknown): string[] | undefined {
  const parsed = sdModels.safeParse(body);
  return parsed.success ? parsed.data.map((m) => m.title) : undefined;
}
