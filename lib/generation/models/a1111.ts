// AUTOMATIC1111's web UI API (also Forge and SD.Next, which keep it): a job's
// n images as one txt2img batch, progress and previews by polling
// /sdapi/v1/progress while the render runs, and /sdapi/v1/interrupt when the
// job is deleted — only while the backend is rendering this very request
// (webui has one global interrupt, so a check of `current_task` comes first).
// Loaded with import() only when an `a1111:` model is used.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Env } from "@/lib/env";
import { logger } from "@/lib/log";
import { type A1111Defaults, readCheckpointTitles, readProgress, readTxt2ImgAnswer, txt2imgPayload } from "./a1111-payload";
import { BackendClient, sleep, sniffImageType } from "./backend-http";
import { normalise } from "./normalise";
import { type GeneratedImage, GenerationError, type GenerationHooks, type ImageModel, type ImageRequest } from "./types";

export type A1111Settings = Pick<
  Env,
  | "A1111_BASE_URL"
  | "A1111_AUTH"
  | "A1111_SAMPLER"
  | "A1111_STEPS"
  | "A1111_CFG_SCALE"
  | "A1111_TIMEOUT_MS"
  | "A1111_PROGRESS_INTERVAL_MS"
  | "BACKEND_CONNECT_TIMEOUT_MS"
>;

const LABEL = "AUTOMATIC1111";
const WAITING_REPORT_MS = 2000;

export function a1111Client(settings: A1111Settings): BackendClient {
  if (!settings.A1111_BASE_URL) throw new GenerationError("AUTOMATIC1111 is not configured on this server", { retryable: false });
  // HTTP basic for a backend started with --api-auth user:password; fetch
  // refuses URLs with credentials, so user:password@ in the URL is moved here.
  const url = new URL(settings.A1111_BASE_URL);
  const inUrl = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  url.username = "";
  url.password = "";
  const auth = settings.A1111_AUTH ?? inUrl;
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {};
  return new BackendClient(LABEL, url.toString(), headers);
}

export function createA1111Model(id: string, title: string, settings: A1111Settings): ImageModel {
  const client = a1111Client(settings);
  const defaults: A1111Defaults = { sampler: settings.A1111_SAMPLER, steps: settings.A1111_STEPS, cfgScale: settings.A1111_CFG_SCALE };
  const probeTimeout = settings.BACKEND_CONNECT_TIMEOUT_MS;

  // The backend's progress, if it is rendering `taskId` right now.
  async function progressOf(taskId: string, withPreview: boolean) {
    const body = await client.json(`sdapi/v1/progress?skip_current_image=${withPreview ? "false" : "true"}`, { timeoutMs: probeTimeout });
    const progress = readProgress(body);
    return progress?.currentTask === taskId ? progress : undefined;
  }

  // Interrupts the backend only while it renders this request. A request still
  // waiting for webui's queue lock is not cancelled by closing our connection
  // (FastAPI runs it anyway), so the watch goes on until it starts or the
  // render's time limit passes.
  async function interruptWhenRunning(taskId: string): Promise<void> {
    const deadline = Date.now() + settings.A1111_TIMEOUT_MS;
    while (Date.now() < deadline) {
      try {
        if (await progressOf(taskId, false)) {
          await client.json("sdapi/v1/interrupt", { method: "POST", json: {}, timeoutMs: probeTimeout });
          logger.info({ event: "gpu_backend_interrupted", backend: LABEL, task: taskId });
          return;
        }
      } catch {
        // Unreachable or restarted: nothing of ours is running there any more.
        return;
      }
      await sleep(settings.A1111_PROGRESS_INTERVAL_MS);
    }
  }

  async function render(request: ImageRequest, n: number, hooks?: GenerationHooks): Promise<GeneratedImage[]> {
    if (hooks?.signal?.aborted) throw new GenerationError("The job was stopped", { retryable: false });
    const taskId = `darkroom-${randomUUID()}`;
    const payload = txt2imgPayload(title, request, n, defaults, taskId);
    const done = new AbortController();
    const stop = AbortSignal.any([done.signal, ...(hooks?.signal ? [hooks.signal] : [])]);
    // A1111_TIMEOUT_MS bounds the wait behind other renders, and then, from
    // the moment this request starts rendering, the render itself: a long
    // queue on a shared GPU is not a failed job.
    const deadline = new AbortController();
    const expire = () => deadline.abort(new DOMException("The render took too long", "TimeoutError"));
    let timer = setTimeout(expire, settings.A1111_TIMEOUT_MS);
    let started = false;
    hooks?.signal?.addEventListener("abort", () => void interruptWhenRunning(taskId), { once: true });

    // Polls progress while txt2img runs; a failed poll is skipped, never fatal.
    // While the request waits behind other renders, a "step 0" now and then
    // lets the progress reporter notice a deleted job (it aborts the signal).
    const polling = (async () => {
      let lastStep = -1;
      let lastReport = Date.now();
      while (!stop.aborted) {
        await sleep(settings.A1111_PROGRESS_INTERVAL_MS, stop);
        if (stop.aborted) break;
        try {
          const progress = await progressOf(taskId, Boolean(hooks?.onProgress));
          if (stop.aborted) break;
          if (!progress || progress.steps === 0) {
            if (Date.now() - lastReport >= WAITING_REPORT_MS) {
              lastReport = Date.now();
              hooks?.onProgress?.({ step: 0, steps: defaults.steps });
            }
            continue;
          }
          lastReport = Date.now();
          if (!started) {
            started = true;
            clearTimeout(timer);
            timer = setTimeout(expire, settings.A1111_TIMEOUT_MS);
          }
          const type = progress.preview ? sniffImageType(progress.preview) : undefined;
          if (progress.step === lastStep && !type) continue;
          lastStep = progress.step;
          hooks?.onProgress?.({
            step: progress.step,
            steps: progress.steps,
            preview: type && progress.preview ? { bytes: progress.preview, contentType: type } : undefined,
          });
        } catch {}
      }
    })();

    try {
      const signal = AbortSignal.any([deadline.signal, ...(hooks?.signal ? [hooks.signal] : [])]);
      const body = await client.json("sdapi/v1/txt2img", { json: payload, signal, timeoutMs: 2 * settings.A1111_TIMEOUT_MS + 60_000 });
      const answer = readTxt2ImgAnswer(body, n);
      if (!answer.ok) throw client.garbage(`txt2img: ${answer.reason}`);
      const images: GeneratedImage[] = [];
      for (const bytes of answer.images) images.push(await normalise(bytes, `the ${LABEL} server`));
      return images;
    } catch (error) {
      // Our time limit passed while the backend still renders: stop it there too.
      if (error instanceof GenerationError && error.retryable && !hooks?.signal?.aborted) void interruptWhenRunning(taskId);
      throw error;
    } finally {
      clearTimeout(timer);
      done.abort();
      await polling;
    }
  }

  return {
    id,
    async generate(request, hooks) {
      const [image] = await render(request, 1, hooks);
      return image!;
    },
    generateBatch: render,
  };
}

export type BackendStatus = { provider: string; label: string; origin: string; reachable: boolean; detail: string; models: string[] };

// For readiness and the admin page: does it answer, and which checkpoints does it offer.
export async function probeA1111(settings: A1111Settings, timeoutMs: number): Promise<BackendStatus> {
  const client = a1111Client(settings);
  const base = { provider: "a1111", label: LABEL, origin: client.origin };
  try {
    const titles = readCheckpointTitles(await client.json("sdapi/v1/sd-models", { timeoutMs }));
    if (!titles) return { ...base, reachable: true, detail: "answers, but not with the checkpoint list", models: [] };
    return { ...base, reachable: true, detail: "ok", models: titles };
  } catch (error) {
    return { ...base, reachable: false, detail: error instanceof Error ? error.message : "unreachable", models: [] };
  }
}
