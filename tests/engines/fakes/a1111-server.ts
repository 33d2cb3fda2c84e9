// A local stand-in for AUTOMATIC1111's web UI API, written from
// stable-diffusion-webui's modules/api/api.py (text2imgapi, progressapi,
// interruptapi, get_sd_models, the --api-auth HTTP basic check),
// modules/api/models.py (request and response fields) and modules/progress.py
// (task ids: add_task_to_queue, start_task, finish_task, current_task).
// Like webui, one render at a time behind a queue lock; a request whose client
// went away still runs when its turn comes (FastAPI does not cancel it);
// /sdapi/v1/interrupt stops whatever renders now, and the render returns the
// images it has (processing.py keeps going to decode after an interrupt).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import sharp from "sharp";

export const CHECKPOINT = "sd_xl_base_1.0.safetensors [31e35c80fc]";

export type A1111Mode = "ok" | "error" | "garbage" | "wrong-shape" | "hang" | "restart-mid-render";

export type FakeA1111 = {
  url: string;
  mode: A1111Mode;
  /** Per-step delay of a render (ms). */
  stepMs: number;
  /** Every txt2img body received, in order. */
  requests: any[];
  /** The task that was rendering when each interrupt came (null: none). */
  interrupts: (string | null)[];
  /** Tasks that finished (interrupted or not), with how many steps they ran. */
  finished: { task: string; steps: number; interrupted: boolean }[];
  auth: string | undefined;
  close: () => Promise<void>;
};

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}

// A picture that depends on the seed (so each image of a batch differs), PNG like webui's default samples_format.
async function picture(seed: number, width: number, height: number): Promise<Buffer> {
  const hue = (seed * 47) % 255;
  return sharp({ create: { width, height, channels: 3, background: { r: hue, g: 255 - hue, b: 128 } } })
    .png()
    .toBuffer();
}

export async function startFakeA1111(options: { auth?: string } = {}): Promise<FakeA1111> {
  const state = {
    mode: "ok" as A1111Mode,
    stepMs: 40,
    requests: [] as any[],
    interrupts: [] as (string | null)[],
    finished: [] as { task: string; steps: number; interrupted: boolean }[],
    // shared.state and progress.current_task
    currentTask: null as string | null,
    samplingStep: 0,
    samplingSteps: 0,
    interrupted: false,
    generation: 0,
  };
  let lock: Promise<void> = Promise.resolve();
  const sockets = new Set<Socket>();
  const preview = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#808080" } })
    .png()
    .toBuffer();

  async function txt2img(res: ServerResponse, body: any) {
    state.requests.push(body);
    const task: string = body?.force_task_id ?? `task(${Math.random().toString(36).slice(2)})`;
    if (state.mode === "hang") return; // never answers
    if (state.mode === "garbage") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Welcome to nginx!</body></html>");
      return;
    }
    if (state.mode === "wrong-shape") return json(res, 200, { detail: "not what you think" });
    // api.py validate_model: an unknown checkpoint title is a 404 "Model not found".
    if (body?.override_settings?.sd_model_checkpoint !== CHECKPOINT) return json(res, 404, { error: "HTTPException", detail: "Model not found" });
    const generation = state.generation;
    // with self.queue_lock: one render at a time, in arrival order.
    const turn = lock.then(async () => {
      if (generation !== state.generation) return; // the server restarted meanwhile
      state.currentTask = task;
      state.samplingSteps = body.steps;
      state.samplingStep = 0;
      state.interrupted = false;
      let ran = 0;
      for (let step = 1; step <= body.steps && !state.interrupted; step++) {
        await new Promise((r) => setTimeout(r, state.stepMs));
        if (generation !== state.generation) return;
        state.samplingStep = step;
        ran = step;
        if (state.mode === "restart-mid-render" && step === 2) {
          // A crash/restart: every connection drops, all state is lost. Once.
          state.mode = "ok";
          restart();
          return;
        }
      }
      state.finished.push({ task, steps: ran, interrupted: state.interrupted });
      state.currentTask = null;
      state.samplingSteps = 0;
      if (state.mode === "error") {
        // handle_exception: a non-HTTP exception (e.g. CUDA out of memory) answers 500 with this shape.
        return json(res, 500, { error: "OutOfMemoryError", detail: "", body: "", errors: "CUDA out of memory. Tried to allocate 2.00 GiB" });
      }
      const images = await Promise.all(Array.from({ length: body.batch_size ?? 1 }, (_, i) => picture(body.seed + i, body.width, body.height)));
      const info = { prompt: body.prompt, all_seeds: images.map((_, i) => body.seed + i), index_of_first_image: 0, job_timestamp: "20261202000000" };
      if (!res.destroyed) json(res, 200, { images: images.map((b) => b.toString("base64")), parameters: body, info: JSON.stringify(info) });
    });
    lock = turn.catch(() => {});
    await turn;
  }

  function restart() {
    state.generation++;
    state.currentTask = null;
    state.samplingStep = 0;
    state.samplingSteps = 0;
    lock = Promise.resolve();
    for (const socket of sockets) socket.destroy();
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (options.auth) {
      const expected = `Basic ${Buffer.from(options.auth).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "content-type": "application/json", "www-authenticate": "Basic" });
        res.end(JSON.stringify({ detail: "Incorrect username or password" }));
        return;
      }
    }
    if (req.method === "POST" && url.pathname === "/sdapi/v1/txt2img") return txt2img(res, await readJson(req));
    if (req.method === "GET" && url.pathname === "/sdapi/v1/progress") {
      const steps = state.samplingSteps;
      const withImage = url.searchParams.get("skip_current_image") !== "true";
      return json(res, 200, {
        progress: steps > 0 ? 0.01 + state.samplingStep / steps : 0,
        eta_relative: 1,
        state: {
          skipped: false,
          interrupted: state.interrupted,
          job: "",
          job_count: steps > 0 ? 1 : 0,
          job_timestamp: "0",
          job_no: 0,
          sampling_step: state.samplingStep,
          sampling_steps: steps,
        },
        // encode_pil_to_base64: plain base64, no data: prefix.
        current_image: steps > 0 && state.samplingStep > 0 && withImage ? preview.toString("base64") : null,
        textinfo: null,
        current_task: state.currentTask,
      });
    }
    if (req.method === "POST" && url.pathname === "/sdapi/v1/interrupt") {
      await readJson(req);
      state.interrupts.push(state.currentTask);
      if (state.currentTask) state.interrupted = true;
      return json(res, 200, {});
    }
    if (req.method === "GET" && url.pathname === "/sdapi/v1/sd-models") {
      return json(res, 200, [
        { title: CHECKPOINT, model_name: "sd_xl_base_1.0", hash: "31e35c80fc", sha256: null, filename: "/models/sd_xl_base_1.0.safetensors", config: null },
      ]);
    }
    json(res, 404, { detail: "Not Found" });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: A1111Mode) {
      state.mode = mode;
    },
    get stepMs() {
      return state.stepMs;
    },
    set stepMs(ms: number) {
      state.stepMs = ms;
    },
    requests: state.requests,
    interrupts: state.interrupts,
    finished: state.finished,
    auth: options.auth,
    close: () =>
      new Promise<void>((resolve) => {
        restart();
        server.close(() => resolve());
      }),
  };
}
