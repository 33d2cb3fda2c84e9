// The self-hosted GPU backends on a real server: jobs rendered through local
// stand-ins that speak AUTOMATIC1111's and ComfyUI's real protocols
// (./fakes/a1111-server.ts, ./fakes/comfyui-server.ts), with progress and a
// preview on the job row while they render, errors in our words, timeouts, a
// backend restarting mid-job, deleting a job stopping the backend's work on it
// (and only on it), and a backend that is down.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { call, createUser, sessionCookie, type TestUser } from "../support/api";
import { closeSql, jobRow, sql } from "../support/db";
import { CHECKPOINT, type FakeA1111, startFakeA1111 } from "./fakes/a1111-server";
import { type FakeComfyUI, startFakeComfyUI } from "./fakes/comfyui-server";

const A1111_AUTH = "darkroom:backend-secret-pass";
const A1111_MODEL = `a1111:${CHECKPOINT}`;
let server: RunningServer;
let a1111: FakeA1111;
let comfy: FakeComfyUI;
let ada: TestUser;

const api = (path: string, init: { json?: unknown; method?: string; token?: string } = {}) => call(path, { base: server.url, token: ada.token, ...init });

async function create(fields: Record<string, unknown>) {
  const res = await api("/api/generate-image", { json: fields });
  expect(res.status).toBe(202);
  return res.json.data as { job_id: string };
}

async function waitFor(jobId: string, statuses: string[], timeoutMs = 25_000) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const res = await api(`/api/image-status/${jobId}`);
    if (statuses.includes(res.json.data.status)) return res.json.data;
    if (Date.now() > deadline) throw new Error(`job ${jobId} stayed ${res.json.data.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Reads the job row while it renders: the highest progress seen and any preview key.
async function watchProgress(jobId: string) {
  const seen = { maxStep: 0, steps: 0, previewKey: null as string | null };
  let done = false;
  const watching = (async () => {
    while (!done) {
      const row = await jobRow(jobId);
      if (row?.progress_step != null) {
        seen.maxStep = Math.max(seen.maxStep, row.progress_step);
        seen.steps = row.progress_steps;
      }
      if (row?.preview_key) seen.previewKey = row.preview_key;
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  return {
    seen,
    stop: async () => {
      done = true;
      await watching;
    },
  };
}

beforeAll(async () => {
  a1111 = await startFakeA1111({ auth: A1111_AUTH });
  comfy = await startFakeComfyUI();
  server = await startServer({
    port: testPort(126),
    env: {
      IMAGE_MODELS: `${A1111_MODEL},comfyui:sdxl,comfyui:flux-schnell`,
      A1111_BASE_URL: a1111.url,
      A1111_AUTH,
      A1111_SAMPLER: "DPM++ 2M",
      A1111_STEPS: "10",
      A1111_CFG_SCALE: "6",
      A1111_TIMEOUT_MS: "2500",
      A1111_PROGRESS_INTERVAL_MS: "50",
      COMFYUI_BASE_URL: comfy.url,
      COMFYUI_TIMEOUT_MS: "2500",
      BACKEND_CONNECT_TIMEOUT_MS: "1500",
      JOB_RUNNER: "embedded",
      JOB_MAX_ATTEMPTS: "2",
      JOB_RETRY_BASE_MS: "20",
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: inject("dataDir"),
    },
  });
  ada = await createUser("ada-gpu");
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await a1111?.close();
  await comfy?.close();
  await closeSql();
});

describe("AUTOMATIC1111", () => {
  it("renders a job's images as one txt2img batch, reporting progress and a preview on the job row while it renders", async () => {
    a1111.mode = "ok";
    a1111.stepMs = 150;
    const before = a1111.requests.length;
    const job = await create({
      prompt: "a lighthouse at dusk",
      style: "watercolor",
      quality: "high",
      aspect_ratio: "3:2",
      n: 2,
      seed: 41,
      negative_prompt: "blurry",
      model: A1111_MODEL,
    });
    const watch = await watchProgress(job.job_id);
    const done = await waitFor(job.job_id, ["completed", "failed"]);
    await watch.stop();
    expect(done).toMatchObject({ status: "completed", attempts: 1, width: 1216, height: 832, model: A1111_MODEL });
    expect(done.images).toHaveLength(2);
    expect(a1111.requests.length - before).toBe(1);
    const sent = a1111.requests.at(-1);
    expect(sent).toMatchObject({
      prompt: "a lighthouse at dusk\n\nStyle: watercolor painting on textured paper, soft washes.",
      negative_prompt: "blurry",
      seed: 41,
      batch_size: 2,
      width: 1216,
      height: 832,
      steps: 10,
      cfg_scale: 6,
      sampler_name: "DPM++ 2M",
      override_settings: { sd_model_checkpoint: CHECKPOINT },
      save_images: false,
      send_images: true,
    });
    expect(sent.force_task_id).toMatch(/^darkroom-/);
    // Progress was written while it rendered, with a preview in the job's own folder.
    expect(watch.seen.steps).toBe(10);
    expect(watch.seen.maxStep).toBeGreaterThan(0);
    expect(watch.seen.previewKey).toBe(`users/${ada.id}/jobs/${job.job_id}/preview.webp`);
    // Two different pictures (seeds 41 and 42), each served to its owner.
    const first = await api(`/api/images/${done.images[0].image_id}`);
    const second = await api(`/api/images/${done.images[1].image_id}`);
    expect(first.status).toBe(200);
    expect(first.bytes.equals(second.bytes)).toBe(false);
    expect(a1111.interrupts).toEqual([]);
  });

  it("retries a 500 from the backend, then fails in our words without the backend's text", async () => {
    a1111.mode = "error";
    a1111.stepMs = 5;
    const job = await create({ prompt: "oom", model: A1111_MODEL });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 2, error: `The AUTOMATIC1111 server at ${a1111.url} had a failure; the job will be retried` });
    expect(done.error).not.toContain("CUDA");
  });

  it("fails at once, clearly, when the server answers with something that is not the API", async () => {
    for (const mode of ["garbage", "wrong-shape"] as const) {
      a1111.mode = mode;
      const job = await create({ prompt: `garbage ${mode}`, model: A1111_MODEL });
      const done = await waitFor(job.job_id, ["failed", "completed"]);
      expect(done).toMatchObject({
        status: "failed",
        attempts: 1,
        error: `The AUTOMATIC1111 server at ${a1111.url} answered with something that is not its API`,
      });
    }
  });

  it("gives up on a render that takes longer than A1111_TIMEOUT_MS, retrying once", async () => {
    a1111.mode = "hang";
    const job = await create({ prompt: "never ends", model: A1111_MODEL });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({
      status: "failed",
      attempts: 2,
      error: `The AUTOMATIC1111 server at ${a1111.url} did not answer in time; the job will be retried`,
    });
  });

  it("retries and completes when the backend restarts in the middle of the render", async () => {
    a1111.mode = "restart-mid-render";
    a1111.stepMs = 30;
    const job = await create({ prompt: "survives a restart", model: A1111_MODEL });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("deleting a job interrupts the backend only while it renders that job", async () => {
    a1111.mode = "ok";
    a1111.stepMs = 120;
    const start = a1111.requests.length;
    const running = await create({ prompt: "keeps rendering", model: A1111_MODEL });
    await until("the first render to start", () => a1111.requests.length > start);
    const waiting = await create({ prompt: "waits its turn", model: A1111_MODEL });
    await until("the second request to reach the backend", () => a1111.requests.length > start + 1);
    const [runningTask, waitingTask] = [a1111.requests[start].force_task_id, a1111.requests[start + 1].force_task_id];
    // Deleted while it waits behind the other render: nothing is interrupted now.
    expect((await api(`/api/jobs/${waiting.job_id}`, { method: "DELETE" })).status).toBe(200);
    const done = await waitFor(running.job_id, ["completed", "failed"]);
    expect(done.status).toBe("completed");
    expect(a1111.interrupts).not.toContain(runningTask);
    // When its turn comes, it is interrupted at once.
    await until("the waiting task to be interrupted", () => a1111.finished.find((f) => f.task === waitingTask));
    expect(a1111.finished.find((f) => f.task === waitingTask)).toMatchObject({ interrupted: true });
    expect(a1111.interrupts).toContain(waitingTask);
    expect(a1111.finished.find((f) => f.task === runningTask)).toMatchObject({ interrupted: false, steps: 10 });

    // Deleted while it renders: interrupted there and then.
    a1111.stepMs = 300;
    const third = await create({ prompt: "deleted mid-render", model: A1111_MODEL });
    await until("its progress", async () => (await jobRow(third.job_id))?.progress_step > 0);
    const task = a1111.requests.at(-1).force_task_id;
    expect((await api(`/api/jobs/${third.job_id}`, { method: "DELETE" })).status).toBe(200);
    await until("the render to be interrupted", () => a1111.finished.find((f) => f.task === task));
    expect(a1111.finished.find((f) => f.task === task)!.steps).toBeLessThan(10);
  });
});

describe("ComfyUI", () => {
  it("renders through the SDXL workflow with its mapped inputs, one prompt per image, with progress, previews and no history left behind", async () => {
    comfy.mode = "ok";
    comfy.stepMs = 150;
    comfy.steps = 8;
    const before = comfy.prompts.length;
    const job = await create({
      prompt: "a fox in snow",
      style: "anime",
      quality: "standard",
      aspect_ratio: "2:3",
      n: 2,
      seed: 7,
      negative_prompt: "text",
      model: "comfyui:sdxl",
    });
    const watch = await watchProgress(job.job_id);
    const done = await waitFor(job.job_id, ["completed", "failed"]);
    await watch.stop();
    expect(done).toMatchObject({ status: "completed", attempts: 1, width: 416, height: 608 });
    expect(done.images).toHaveLength(2);
    const sent = comfy.prompts.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.map((p) => p.prompt["3"].inputs.seed)).toEqual([7, 8]);
    expect(sent[0]!.prompt["6"].inputs.text).toBe("a fox in snow\n\nStyle: anime style, clean line art, cel shading.");
    expect(sent[0]!.prompt["7"].inputs.text).toBe("text");
    expect(sent[0]!.prompt["5"].inputs).toEqual({ width: 416, height: 608, batch_size: 1 });
    // The rest of the template is untouched.
    expect(sent[0]!.prompt["4"]).toEqual({ class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "sd_xl_base_1.0.safetensors" } });
    expect(new Set(sent.map((p) => p.client_id)).size).toBe(2);
    expect(watch.seen.steps).toBe(16);
    expect(watch.seen.maxStep).toBeGreaterThan(0);
    expect(watch.seen.previewKey).toBe(`users/${ada.id}/jobs/${job.job_id}/preview.webp`);
    // Once stored, the backend's history of both prompts is deleted.
    expect(comfy.historyDeletes).toEqual(expect.arrayContaining(sent.map((p) => p.prompt_id)));
    for (const p of sent) expect(comfy.history.has(p.prompt_id)).toBe(false);
  });

  it("fails at once on an execution_error, naming the node type but not the backend's text", async () => {
    comfy.mode = "error";
    comfy.stepMs = 5;
    const job = await create({ prompt: "breaks", model: "comfyui:sdxl" });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 1, error: 'ComfyUI could not run the workflow "sdxl" (KSampler)' });
    expect(server.output()).toContain("RAW-BACKEND-TEXT");
    expect((await jobRow(done.job_id))!.error).not.toContain("RAW-BACKEND-TEXT");
    // The failed prompt's history entry (it holds the prompt) is deleted too.
    const failed = comfy.prompts.at(-1)!.prompt_id;
    await until("its history to be deleted", () => comfy.historyDeletes.includes(failed));
    expect(comfy.history.has(failed)).toBe(false);
  });

  it("works with an older ComfyUI that picks its own prompt ids", async () => {
    comfy.mode = "ok";
    comfy.ownIds = true;
    try {
      const before = comfy.prompts.length;
      const job = await create({ prompt: "old server", model: "comfyui:sdxl" });
      const done = await waitFor(job.job_id, ["failed", "completed"]);
      expect(done).toMatchObject({ status: "completed", attempts: 1 });
      const sent = comfy.prompts.slice(before);
      expect(comfy.historyDeletes).toContain(sent[0]!.prompt_id);
    } finally {
      comfy.ownIds = false;
    }
  });

  it("fails at once when ComfyUI refuses the workflow (400), and clearly on an answer that is not ComfyUI", async () => {
    comfy.mode = "invalid";
    let job = await create({ prompt: "invalid graph", model: "comfyui:flux-schnell" });
    let done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 1, error: `The ComfyUI server at ${comfy.url} rejected the request as invalid` });
    comfy.mode = "garbage";
    job = await create({ prompt: "not comfy", model: "comfyui:sdxl" });
    done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 2, error: `The ComfyUI server at ${comfy.url} did not answer; the job will be retried` });
  });

  it("gives up on a prompt that runs longer than COMFYUI_TIMEOUT_MS and interrupts it there", async () => {
    comfy.mode = "hang";
    const before = comfy.prompts.length;
    const job = await create({ prompt: "runs forever", model: "comfyui:sdxl" });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 2, error: `The ComfyUI server at ${comfy.url} did not finish in time; the job will be retried` });
    const ids = comfy.prompts.slice(before).map((p) => p.prompt_id);
    expect(comfy.interrupts.filter((i) => ids.includes(i.requested ?? ""))).toEqual(ids.map((id) => ({ requested: id, running: id })));
  });

  it("retries and completes when ComfyUI restarts mid-render (the socket drops, the prompt is gone)", async () => {
    comfy.mode = "restart-mid-render";
    comfy.stepMs = 30;
    const job = await create({ prompt: "survives a restart", model: "comfyui:sdxl" });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("deleting a job takes its prompt out of the queue, or interrupts it only if it is the one running", async () => {
    comfy.mode = "ok";
    comfy.stepMs = 400;
    comfy.steps = 10;
    const start = comfy.prompts.length;
    const running = await create({ prompt: "long render", model: "comfyui:sdxl" });
    await until("the first prompt", () => comfy.prompts.length > start);
    const queued = await create({ prompt: "queued behind", model: "comfyui:sdxl" });
    await until("the second prompt", () => comfy.prompts.length > start + 1);
    const [runningId, queuedId] = [comfy.prompts[start]!.prompt_id, comfy.prompts[start + 1]!.prompt_id];
    expect((await api(`/api/jobs/${queued.job_id}`, { method: "DELETE" })).status).toBe(200);
    // A waiting prompt is noticed within a couple of seconds and leaves the queue.
    await until("the queued prompt to be deleted", () => comfy.queueDeletes.includes(queuedId), 6000);
    expect(comfy.interrupts.map((i) => i.requested)).not.toContain(queuedId);
    expect(comfy.interrupts.map((i) => i.requested)).not.toContain(runningId);
    // The running one is interrupted when deleted.
    await until("progress on the running job", async () => (await jobRow(running.job_id))?.progress_step > 0);
    expect((await api(`/api/jobs/${running.job_id}`, { method: "DELETE" })).status).toBe(200);
    await until("the running prompt to be interrupted", () => comfy.interrupts.find((i) => i.requested === runningId));
    expect(comfy.interrupts.find((i) => i.requested === runningId)).toEqual({ requested: runningId, running: runningId });
    expect(comfy.prompts.length).toBe(start + 2);
  });
});

describe("both backends", () => {
  it("count the time limit from the start of the render, so waiting behind other renders is not a timeout", async () => {
    // Each render takes about 1.8 s and the limit is 2.5 s: the second job of
    // each pair waits ~1.8 s, then renders ~1.8 s, more than 2.5 s in all.
    a1111.mode = "ok";
    a1111.stepMs = 180;
    comfy.mode = "ok";
    comfy.stepMs = 225;
    comfy.steps = 8;
    const jobs = [];
    for (const model of [A1111_MODEL, A1111_MODEL, "comfyui:sdxl", "comfyui:sdxl"]) jobs.push(await create({ prompt: `in line for ${model}`, model }));
    for (const job of jobs) expect(await waitFor(job.job_id, ["completed", "failed"])).toMatchObject({ status: "completed", attempts: 1 });
  });
});

describe("operators", () => {
  it("readiness reports each backend; the admin page and API list them for admins and do not exist for anyone else", async () => {
    comfy.mode = "ok";
    const ready = await call("/api/health/ready", { base: server.url });
    expect(ready.status).toBe(200);
    expect(ready.json.data.checks.backends).toEqual({ a1111: "ok", comfyui: "ok" });

    const missingPage = await call("/admin/no-such-page", { base: server.url });
    const anonymous = await call("/admin/backends", { base: server.url });
    const cookie = await sessionCookie(ada);
    const notAdmin = await call("/admin/backends", { base: server.url, headers: { cookie } });
    expect(anonymous.status).toBe(404);
    expect(notAdmin.status).toBe(404);
    expect(missingPage.status).toBe(404);
    expect(notAdmin.text).not.toContain("AUTOMATIC1111");
    expect((await api("/api/admin/backends")).status).toBe(403);

    await sql()`update users set role = 'admin' where id = ${ada.id}`;
    const page = await call("/admin/backends", { base: server.url, headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(CHECKPOINT);
    expect(page.text).toContain("comfyui:flux-schnell");
    const listed = await api("/api/admin/backends");
    expect(listed.status).toBe(200);
    expect(listed.json.data.backends).toEqual([
      { provider: "a1111", label: "AUTOMATIC1111", origin: a1111.url, reachable: true, detail: "ok", models: [CHECKPOINT] },
      { provider: "comfyui", label: "ComfyUI", origin: comfy.url, reachable: true, detail: "ok", models: ["flux-schnell", "sdxl"] },
    ]);
    await sql()`update users set role = 'user' where id = ${ada.id}`;
  });

  it("a backend that is down: jobs retry, then fail naming the server; the app stays ready", async () => {
    await comfy.close();
    const job = await create({ prompt: "nobody home", model: "comfyui:sdxl" });
    const done = await waitFor(job.job_id, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 2, error: `The ComfyUI server at ${comfy.url} did not answer; the job will be retried` });
    await new Promise((r) => setTimeout(r, 3100)); // past the readiness cache
    const ready = await call("/api/health/ready", { base: server.url });
    expect(ready.status).toBe(200);
    expect(ready.json.data.checks.backends).toEqual({ a1111: "ok", comfyui: "unreachable" });
  });
});
