// A local stand-in for ComfyUI, written message by message from Comfy-Org/ComfyUI:
// server.py (POST /prompt with client_id and an optional prompt_id, answering
// {prompt_id, number, node_errors} or 400 {error, node_errors}; GET/POST
// /queue with queue_running/queue_pending items [number, prompt_id, prompt,
// extra_data, outputs]; POST /interrupt with an optional prompt_id that only
// interrupts if that prompt runs; GET /history/{id}, POST /history {delete};
// GET /view; the /ws?clientId= socket that first sends `status`), execution.py
// (execution_start, execution_cached, executing, executed, execution_success,
// execution_error, execution_interrupted, all carrying prompt_id, sent to the
// prompt's client), and protocol.py / server.py send_image for binary preview
// frames: big-endian uint32 event 1 (PREVIEW_IMAGE), uint32 image type (1 JPEG,
// 2 PNG), the image bytes. `progress` is {value, max, prompt_id, node}.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import sharp from "sharp";
import { type WebSocket, WebSocketServer } from "ws";

export type ComfyMode = "ok" | "error" | "invalid" | "hang" | "restart-mid-render" | "garbage";

type Item = { number: number; promptId: string; prompt: Record<string, any>; clientId: string };

export type FakeComfyUI = {
  url: string;
  mode: ComfyMode;
  stepMs: number;
  steps: number;
  /** Like ComfyUI before prompt_id could be chosen by the client: ignore it and pick one. */
  ownIds: boolean;
  prompts: { prompt_id: string; client_id: string; prompt: Record<string, any> }[];
  interrupts: { requested: string | null; running: string | null }[];
  queueDeletes: string[];
  historyDeletes: string[];
  history: Map<string, unknown>;
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
    return {};
  }
}

export async function startFakeComfyUI(): Promise<FakeComfyUI> {
  const state = {
    mode: "ok" as ComfyMode,
    stepMs: 40,
    steps: 8,
    ownIds: false,
    prompts: [] as FakeComfyUI["prompts"],
    interrupts: [] as FakeComfyUI["interrupts"],
    queueDeletes: [] as string[],
    historyDeletes: [] as string[],
    number: 0,
    generation: 0,
  };
  const history = new Map<string, unknown>();
  const files = new Map<string, Buffer>();
  const pending: Item[] = [];
  let running: (Item & { interrupted: boolean }) | null = null;
  const sockets = new Map<string, WebSocket>();
  const connections = new Set<Socket>();
  const preview = await sharp({ create: { width: 24, height: 24, channels: 3, background: "#404080" } })
    .jpeg()
    .toBuffer();

  const send = (clientId: string, type: string, data: unknown) => sockets.get(clientId)?.send(JSON.stringify({ type, data }));
  const sendPreview = (clientId: string) => {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(1, 0); // PREVIEW_IMAGE
    header.writeUInt32BE(1, 4); // JPEG
    sockets.get(clientId)?.send(Buffer.concat([header, preview]));
  };
  const nodeOf = (prompt: Record<string, any>, type: RegExp) => Object.entries(prompt).find(([, n]) => type.test(n.class_type));

  async function execute(item: Item, generation: number) {
    running = { ...item, interrupted: false };
    const current = running;
    const { promptId: prompt_id, clientId } = item;
    const [samplerId, sampler] = nodeOf(item.prompt, /^KSampler/) ?? ["3", { inputs: { seed: 0 } }];
    const [, latent] = nodeOf(item.prompt, /^Empty.*LatentImage$/) ?? ["5", { inputs: { width: 64, height: 64 } }];
    const [saveId] = nodeOf(item.prompt, /^SaveImage$/) ?? ["9"];
    send(clientId, "execution_start", { prompt_id, timestamp: Date.now() });
    send(clientId, "execution_cached", { nodes: [], prompt_id, timestamp: Date.now() });
    send(clientId, "executing", { node: samplerId, display_node: samplerId, prompt_id });
    for (let value = 1; value <= state.steps; value++) {
      await new Promise((r) => setTimeout(r, state.stepMs));
      if (generation !== state.generation) return;
      if (current.interrupted) {
        send(clientId, "execution_interrupted", { prompt_id, node_id: samplerId, node_type: "KSampler", executed: [], timestamp: Date.now() });
        history.set(prompt_id, {
          prompt: [item.number, prompt_id, item.prompt, {}, [saveId]],
          outputs: {},
          status: { status_str: "error", completed: false, messages: [] },
        });
        return;
      }
      if (state.mode === "restart-mid-render" && value === 2) {
        state.mode = "ok";
        restart();
        return;
      }
      if (state.mode === "error" && value === 2) {
        send(clientId, "execution_error", {
          prompt_id,
          node_id: samplerId,
          node_type: "KSampler",
          executed: [],
          exception_message: "Expected all tensors to be on the same device RAW-BACKEND-TEXT",
          exception_type: "RuntimeError",
          traceback: ["Traceback (most recent call last):"],
          current_inputs: {},
          current_outputs: {},
          timestamp: Date.now(),
        });
        history.set(prompt_id, {
          prompt: [item.number, prompt_id, item.prompt, {}, [saveId]],
          outputs: {},
          status: { status_str: "error", completed: false, messages: [] },
        });
        return;
      }
      send(clientId, "progress", { value, max: state.steps, prompt_id, node: samplerId });
      sendPreview(clientId);
    }
    const filename = `darkroom_${String(state.number).padStart(5, "0")}_${randomUUID().slice(0, 6)}_.png`;
    const hue = (Number(sampler.inputs.seed) * 47) % 255;
    files.set(
      filename,
      await sharp({ create: { width: latent.inputs.width, height: latent.inputs.height, channels: 3, background: { r: 64, g: hue, b: 255 - hue } } })
        .png()
        .toBuffer(),
    );
    const output = { images: [{ filename, subfolder: "", type: "output" }] };
    send(clientId, "executing", { node: saveId, display_node: saveId, prompt_id });
    send(clientId, "executed", { node: saveId, display_node: saveId, output, prompt_id });
    history.set(prompt_id, {
      prompt: [item.number, prompt_id, item.prompt, { client_id: clientId }, [saveId]],
      outputs: { [saveId]: output },
      status: { status_str: "success", completed: true, messages: [] },
      meta: {},
    });
    send(clientId, "execution_success", { prompt_id, timestamp: Date.now() });
    send(clientId, "executing", { node: null, prompt_id });
  }

  // main.py prompt_worker: one prompt at a time, lowest number first.
  let working = false;
  async function work() {
    if (working) return;
    working = true;
    const generation = state.generation;
    while (pending.length > 0 && generation === state.generation) {
      const item = pending.shift()!;
      if (state.mode === "hang") {
        running = { ...item, interrupted: false };
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            if (generation !== state.generation || running?.interrupted) {
              clearInterval(timer);
              resolve();
            }
          }, 20);
        });
      } else {
        await execute(item, generation);
      }
      if (generation === state.generation) running = null;
    }
    working = false;
  }

  function restart() {
    state.generation++;
    pending.length = 0;
    running = null;
    working = false;
    history.clear();
    for (const ws of sockets.values()) ws.terminate();
    sockets.clear();
    for (const socket of connections) socket.destroy();
  }

  const queueItem = (i: Item) => [i.number, i.promptId, i.prompt, { client_id: i.clientId }, []];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    if (state.mode === "garbage") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("hello from something else");
      return;
    }
    if (req.method === "POST" && path === "/prompt") {
      const body = await readJson(req);
      if (!body.prompt)
        return json(res, 400, { error: { type: "no_prompt", message: "No prompt provided", details: "No prompt provided", extra_info: {} }, node_errors: {} });
      if (state.mode === "invalid") {
        return json(res, 400, {
          error: { type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation", details: "", extra_info: {} },
          node_errors: {
            "4": {
              errors: [
                { type: "value_not_in_list", message: "Value not in list", details: "ckpt_name: 'sd_xl_base_1.0.safetensors' not in []", extra_info: {} },
              ],
              dependent_outputs: ["9"],
              class_type: "CheckpointLoaderSimple",
            },
          },
        });
      }
      const promptId = state.ownIds ? randomUUID() : String(body.prompt_id ?? randomUUID());
      state.prompts.push({ prompt_id: promptId, client_id: body.client_id, prompt: body.prompt });
      const item = { number: state.number++, promptId, prompt: body.prompt, clientId: body.client_id };
      pending.push(item);
      json(res, 200, { prompt_id: promptId, number: item.number, node_errors: {} });
      void work();
      return;
    }
    if (req.method === "GET" && path === "/queue")
      return json(res, 200, { queue_running: running ? [queueItem(running)] : [], queue_pending: pending.map(queueItem) });
    if (req.method === "POST" && path === "/queue") {
      const body = await readJson(req);
      for (const id of body.delete ?? []) {
        state.queueDeletes.push(id);
        const index = pending.findIndex((i) => i.promptId === id);
        if (index >= 0) pending.splice(index, 1);
      }
      res.writeHead(200);
      res.end();
      return;
    }
    if (req.method === "POST" && path === "/interrupt") {
      const body = await readJson(req);
      const requested = body.prompt_id ?? null;
      state.interrupts.push({ requested, running: running?.promptId ?? null });
      if (running && (!requested || requested === running.promptId)) running.interrupted = true;
      res.writeHead(200);
      res.end();
      return;
    }
    if (req.method === "GET" && path.startsWith("/history/")) {
      const id = decodeURIComponent(path.slice("/history/".length));
      return json(res, 200, history.has(id) ? { [id]: history.get(id) } : {});
    }
    if (req.method === "POST" && path === "/history") {
      const body = await readJson(req);
      for (const id of body.delete ?? []) {
        state.historyDeletes.push(id);
        history.delete(id);
      }
      res.writeHead(200);
      res.end();
      return;
    }
    if (req.method === "GET" && path === "/view") {
      const file = files.get(url.searchParams.get("filename") ?? "");
      if (!file || url.searchParams.get("type") !== "output") {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "image/png" });
      res.end(file);
      return;
    }
    json(res, 404, { error: "not found" });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/ws" || state.mode === "garbage") return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sid = url.searchParams.get("clientId") || randomUUID().replaceAll("-", "");
      sockets.set(sid, ws);
      ws.on("close", () => {
        if (sockets.get(sid) === ws) sockets.delete(sid);
      });
      ws.send(JSON.stringify({ type: "status", data: { status: { exec_info: { queue_remaining: pending.length + (running ? 1 : 0) } }, sid } }));
    });
  });
  server.on("connection", (socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: ComfyMode) {
      state.mode = mode;
    },
    get stepMs() {
      return state.stepMs;
    },
    set stepMs(ms: number) {
      state.stepMs = ms;
    },
    get ownIds() {
      return state.ownIds;
    },
    set ownIds(value: boolean) {
      state.ownIds = value;
    },
    get steps() {
      return state.steps;
    },
    set steps(n: number) {
      state.steps = n;
    },
    prompts: state.prompts,
    interrupts: state.interrupts,
    queueDeletes: state.queueDeletes,
    historyDeletes: state.historyDeletes,
    history,
    close: () =>
      new Promise<void>((resolve) => {
        restart();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
