// ComfyUI's own API (Comfy-Org/ComfyUI server.py): a workflow template filled
// in (./comfyui-workflow.ts) and queued with POST /prompt under a prompt id we
// choose, followed on /ws?clientId=… (progress, binary preview frames,
// execution_error / execution_success), the images read from /history/{id} and
// fetched with /view, then the history entry deleted. Deleting the job removes
// the prompt from the queue, or interrupts it if (and only if) it is the one
// running. Written on Node's global WebSocket rather than an npm client (see
// docs/deploy.md). Loaded with import() only when a `comfyui:` model is used.
//
// One prompt per image (batch size 1, seed + i): a ComfyUI batch draws all its
// images from one seed's noise, so image i of a batch could not be redrawn alone.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Env } from "@/lib/env";
import { logger } from "@/lib/log";
import type { BackendStatus } from "./a1111";
import { BackendClient, sniffImageType } from "./backend-http";
import { imageCallOptions } from "./catalog";
import { fillWorkflow, loadWorkflow, readHistory, WorkflowError } from "./comfyui-workflow";
import { normalise } from "./normalise";
import { type GeneratedImage, GenerationError, type GenerationHooks, type ImageModel, type ImageRequest } from "./types";

export type ComfyUISettings = Pick<Env, "COMFYUI_BASE_URL" | "COMFYUI_WORKFLOWS_DIR" | "COMFYUI_TIMEOUT_MS" | "BACKEND_CONNECT_TIMEOUT_MS">;

const LABEL = "ComfyUI";
const WAITING_REPORT_MS = 2000;
// protocol.py BinaryEventTypes.PREVIEW_IMAGE; server.py send_image: 1 = JPEG, 2 = PNG.
const PREVIEW_IMAGE = 1;
const PREVIEW_TYPES: Record<number, string> = { 1: "image/jpeg", 2: "image/png" };

export function comfyClient(settings: ComfyUISettings): BackendClient {
  if (!settings.COMFYUI_BASE_URL) throw new GenerationError("ComfyUI is not configured on this server", { retryable: false });
  return new BackendClient(LABEL, settings.COMFYUI_BASE_URL);
}

type Outcome = { kind: "success" } | { kind: "dropped" } | { kind: "failed"; error: GenerationError };

export function createComfyUIModel(id: string, workflowName: string, settings: ComfyUISettings): ImageModel {
  const client = comfyClient(settings);
  const quick = settings.BACKEND_CONNECT_TIMEOUT_MS;

  function openSocket(clientId: string): Promise<WebSocket> {
    const url = new URL(client.url(`ws?clientId=${clientId}`));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      const timer = setTimeout(() => {
        ws.close();
        reject(client.unreachable("websocket did not open in time"));
      }, quick);
      ws.addEventListener("open", () => {
        clearTimeout(timer);
        resolve(ws);
      });
      ws.addEventListener("error", () => {
        clearTimeout(timer);
        reject(client.unreachable("websocket error before open"));
      });
    });
  }

  // server.py post_queue / post_interrupt: delete a pending prompt, interrupt a
  // running one naming it (older servers ignore prompt_id and interrupt
  // whatever runs, hence the check of /queue first).
  async function cancel(promptId: string): Promise<void> {
    try {
      const queue = (await client.json("queue", { timeoutMs: quick })) as { queue_running?: unknown[][]; queue_pending?: unknown[][] };
      const has = (items: unknown[][] | undefined) => (items ?? []).some((item) => Array.isArray(item) && item[1] === promptId);
      if (has(queue.queue_pending)) await client.json("queue", { json: { delete: [promptId] }, timeoutMs: quick });
      if (has(queue.queue_running)) {
        await client.json("interrupt", { json: { prompt_id: promptId }, timeoutMs: quick });
        logger.info({ event: "gpu_backend_interrupted", backend: LABEL, prompt_id: promptId });
      }
    } catch {
      // Unreachable: nothing of ours runs there any more.
    }
  }

  async function forget(promptId: string): Promise<void> {
    await client.json("history", { json: { delete: [promptId] }, timeoutMs: quick }).catch(() => {});
  }

  // An interrupted or failed prompt's history entry (which holds the whole
  // prompt) is written when its run ends, possibly after we gave up on it.
  function forgetSoon(promptId: string): void {
    void forget(promptId);
    setTimeout(() => void forget(promptId), 5000).unref?.();
  }

  async function fetchImages(promptId: string, outputNode: string | undefined): Promise<GeneratedImage[] | "missing"> {
    const history = readHistory(await client.json(`history/${encodeURIComponent(promptId)}`, { timeoutMs: quick }), promptId, outputNode);
    if (history.state === "missing") return "missing";
    if (history.state === "unreadable") throw client.garbage("history entry has an unexpected shape");
    if (history.state === "error") throw client.failure("execution_error", `${LABEL} could not run the workflow "${workflowName}"`, false);
    if (history.images.length === 0) throw client.failure("no_image", `${LABEL} finished the workflow "${workflowName}" without an image`, false);
    const images: GeneratedImage[] = [];
    for (const image of history.images) {
      const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder, type: image.type });
      const response = await client.raw(`view?${query}`, { timeoutMs: quick });
      if (!response.ok) throw client.statusError(response.status, await response.text().catch(() => ""));
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw client.networkError(error);
      }
      images.push(await normalise(bytes, `the ${LABEL} server`));
    }
    return images;
  }

  async function render(request: ImageRequest, hooks?: GenerationHooks): Promise<GeneratedImage> {
    if (hooks?.signal?.aborted) throw new GenerationError("The job was stopped", { retryable: false });
    let workflow: Awaited<ReturnType<typeof loadWorkflow>>;
    try {
      workflow = await loadWorkflow(settings.COMFYUI_WORKFLOWS_DIR, workflowName);
    } catch (error) {
      if (error instanceof WorkflowError)
        throw client.failure("workflow", `The ${LABEL} workflow "${workflowName}" is missing or invalid on this server`, false, error.message);
      throw error;
    }
    const call = imageCallOptions({ provider: "comfyui", model: workflowName }, request);
    const [width, height] = call.size!.split("x").map(Number) as [number, number];
    const graph = fillWorkflow(workflow, {
      prompt: call.prompt,
      negativePrompt: request.negativePrompt ?? "",
      seed: request.seed ?? 0,
      width,
      height,
      batchSize: 1,
    });

    const clientId = randomUUID();
    // server.py takes the prompt_id we choose; an older ComfyUI picks its own,
    // so the id is the one POST /prompt answers, and events that come before
    // that answer wait until it is known.
    let promptId: string = randomUUID();
    let acknowledged = false;
    const early: MessageEvent[] = [];
    const ws = await openSocket(clientId);
    let step = 0;
    let steps = 0;
    let running = false;
    let settle: (outcome: Outcome) => void = () => {};
    const outcome = new Promise<Outcome>((resolve) => (settle = resolve));

    const handle = (event: MessageEvent) => {
      if (typeof event.data === "string") {
        let message: { type?: unknown; data?: Record<string, unknown> };
        try {
          message = JSON.parse(event.data);
        } catch {
          return;
        }
        const data = message.data ?? {};
        // Every event of a run carries its prompt_id (execution.py); others are not ours.
        if (data.prompt_id !== promptId) return;
        switch (message.type) {
          case "execution_start":
            running = true;
            clearTimeout(timeout);
            timeout = setTimeout(expire, settings.COMFYUI_TIMEOUT_MS);
            break;
          case "progress":
            if (typeof data.value === "number" && typeof data.max === "number" && data.max > 0) {
              step = data.value;
              steps = data.max;
              hooks?.onProgress?.({ step, steps });
            }
            break;
          case "executing":
            // Before execution_success existed, `node: null` meant "done".
            if (data.node === null) settle({ kind: "success" });
            break;
          case "execution_success":
            settle({ kind: "success" });
            break;
          case "execution_error": {
            const type = String(data.exception_type ?? "");
            const oom = /OutOfMemory|out of memory/i.test(`${type} ${data.exception_message ?? ""}`);
            const error = client.failure(
              "execution_error",
              oom
                ? `${LABEL} ran out of GPU memory; the job will be retried`
                : `${LABEL} could not run the workflow "${workflowName}" (${String(data.node_type ?? "unknown node")})`,
              oom,
              `${data.node_type} ${type}: ${data.exception_message}`,
            );
            settle({ kind: "failed", error });
            break;
          }
          case "execution_interrupted":
            settle({ kind: "failed", error: client.failure("interrupted", `${LABEL} interrupted the render; the job will be retried`, true) });
            break;
        }
        return;
      }
      // Binary frame: 4-byte big-endian event type, then for PREVIEW_IMAGE a
      // 4-byte image type and the image (server.py encode_bytes / send_image).
      // Sent only to the socket of the client whose prompt runs: ours.
      const buffer = event.data as ArrayBuffer;
      if (!running || buffer.byteLength < 9 || steps === 0) return;
      const view = new DataView(buffer);
      if (view.getUint32(0) !== PREVIEW_IMAGE) return;
      const bytes = new Uint8Array(buffer, 8);
      const contentType = sniffImageType(bytes) ?? PREVIEW_TYPES[view.getUint32(4)];
      if (contentType) hooks?.onProgress?.({ step, steps, preview: { bytes, contentType } });
    };
    ws.addEventListener("message", (event: MessageEvent) => (acknowledged ? handle(event) : early.push(event)));
    ws.addEventListener("close", () => settle({ kind: "dropped" }));

    // COMFYUI_TIMEOUT_MS bounds the wait in ComfyUI's queue, and then, from
    // execution_start, the run itself: a long queue is not a failed job.
    const expire = () =>
      settle({
        kind: "failed",
        error: client.failure("timeout", `The ${LABEL} server at ${client.origin} did not finish in time; the job will be retried`, true),
      });
    let timeout = setTimeout(expire, settings.COMFYUI_TIMEOUT_MS);
    // While the prompt waits in ComfyUI's queue, a "step 0" now and then lets
    // the progress reporter notice a deleted job, so it leaves the queue at once.
    const waiting = setInterval(() => {
      if (!running) hooks?.onProgress?.({ step: 0, steps: 1 });
    }, WAITING_REPORT_MS);
    const onAbort = () => settle({ kind: "failed", error: new GenerationError("The job was stopped", { retryable: false }) });
    hooks?.signal?.addEventListener("abort", onAbort, { once: true });

    try {
      const queued = (await client
        .json("prompt", { json: { prompt: graph, client_id: clientId, prompt_id: promptId }, timeoutMs: quick, signal: hooks?.signal })
        .catch((error: unknown) => {
          // Queued, but the answer was lost (reset, timeout, job deleted): do not leave it to render for nobody.
          void cancel(promptId);
          throw error;
        })) as { prompt_id?: unknown } | null;
      if (typeof queued?.prompt_id !== "string" || queued.prompt_id === "")
        throw client.garbage(`POST /prompt answered ${JSON.stringify(queued)?.slice(0, 200)}`);
      promptId = queued.prompt_id;
      acknowledged = true;
      for (const event of early.splice(0)) handle(event);
      const result = await outcome;
      if (result.kind === "failed") {
        await cancel(promptId);
        forgetSoon(promptId);
        throw result.error;
      }
      // A dropped socket (restart, proxy timeout): the prompt may still have
      // finished; if not, it is gone or orphaned, and the job retries it.
      const images = await fetchImages(promptId, workflow.map.output);
      if (images === "missing") {
        if (result.kind === "dropped") await cancel(promptId);
        forgetSoon(promptId);
        throw client.failure("dropped", `The connection to the ${LABEL} server at ${client.origin} was lost; the job will be retried`, true);
      }
      await forget(promptId);
      return images[0]!;
    } finally {
      clearTimeout(timeout);
      clearInterval(waiting);
      hooks?.signal?.removeEventListener("abort", onAbort);
      ws.close();
    }
  }

  return { id, generate: render };
}

// For readiness and the admin page: does it answer, and which workflows are shipped for it.
export async function probeComfyUI(settings: ComfyUISettings, timeoutMs: number, workflows: string[]): Promise<BackendStatus> {
  const client = comfyClient(settings);
  const base = { provider: "comfyui", label: LABEL, origin: client.origin, models: workflows };
  try {
    const body = (await client.json("queue", { timeoutMs })) as { queue_running?: unknown } | null;
    if (!body || !Array.isArray(body.queue_running)) return { ...base, reachable: true, detail: "answers, but not like ComfyUI" };
    return { ...base, reachable: true, detail: "ok" };
  } catch (error) {
    return { ...base, reachable: false, detail: error instanceof Error ? error.message : "unreachable" };
  }
}
