// The operator's model catalog (IMAGE_MODELS) on a server of its own: GET
// /api/models lists only the models the caller may use, a restricted model is
// 403 "Model not available", a model outside the catalog and a setting the
// model cannot honour are 400s naming the field (and the model), and the daily
// quota counts every image times the model's cost. Access rules and costs are
// set through the real admin CLI.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../engines/fakes/openai-server";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { adminCli } from "../support/admin";
import { createUser, type TestUser } from "../support/api";
import { closeSql } from "../support/db";

const ADMINS_ONLY = "compatible:models-test-admins";
const NAMED = "compatible:models-test-named";
const COSTLY = "compatible:models-test-costly";
const CATALOG = ["local/sketch", "openai:gpt-image-1", ADMINS_ONLY, NAMED, COSTLY];

let server: RunningServer;
let fake: FakeOpenAI;
let ada: TestUser;
let named: TestUser;
let admin: TestUser;

async function api(path: string, init: { token: string; json?: unknown }) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.json ? "POST" : "GET",
    headers: { authorization: `Bearer ${init.token}`, ...(init.json ? { "content-type": "application/json" } : {}) },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) };
}

const generate = (user: TestUser, json: Record<string, unknown>) => api("/api/generate-image", { token: user.token, json: { prompt: "catalog", ...json } });
const modelIds = async (user: TestUser) => (await api("/api/models", { token: user.token })).json.data.models.map((m: { id: string }) => m.id);

async function waitDone(user: TestUser, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const job = (await api(`/api/image-status/${jobId}`, { token: user.token })).json.data;
    if (job.status === "completed" || job.status === "failed") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startServer({
    port: testPort(124),
    env: {
      IMAGE_MODELS: CATALOG.join(","),
      OPENAI_API_KEY: "sk-test-models-0123456789",
      OPENAI_BASE_URL: `${fake.url}/v1`,
      IMAGE_BASE_URL: `${fake.url}/v1`,
      JOB_RUNNER: "embedded",
      DAILY_JOB_QUOTA: "6",
      MAX_ACTIVE_JOBS_PER_USER: "50",
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: inject("dataDir"),
    },
  });
  [ada, named, admin] = await Promise.all([createUser("ada-models"), createUser("named-models"), createUser("admin-models")]);
  for (const args of [
    ["grant", admin.email],
    ["model", "restrict", ADMINS_ONLY, "admins"],
    ["model", "restrict", NAMED, named.email],
    ["model", "cost", COSTLY, "3"],
  ]) {
    const res = await adminCli(...args);
    expect(res.code, res.out).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await closeSql();
});

describe("GET /api/models", () => {
  it("lists the catalog with capabilities, the first as the default, without models the caller may not use", async () => {
    const res = await api("/api/models", { token: ada.token });
    expect(res.status).toBe(200);
    expect(res.json.data.models).toEqual([
      {
        id: "local/sketch",
        label: expect.any(String),
        provider: "local",
        default: true,
        capabilities: { aspect_ratios: ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"], max_n: 4, seed: true, negative_prompt: true },
      },
      {
        id: "openai:gpt-image-1",
        label: "gpt-image-1 (OpenAI)",
        provider: "openai",
        default: false,
        capabilities: { aspect_ratios: ["1:1", "3:2", "2:3"], max_n: 4, seed: false, negative_prompt: false },
      },
      expect.objectContaining({ id: COSTLY, provider: "compatible", default: false }),
    ]);
    // Costs and access lists are the operator's business.
    for (const model of res.json.data.models) expect(Object.keys(model).sort()).toEqual(["capabilities", "default", "id", "label", "provider"]);
    expect(res.text).not.toContain(named.id);
  });

  it("shows a restricted model only to the people and the admins it is limited to", async () => {
    expect(await modelIds(named)).toEqual(["local/sketch", "openai:gpt-image-1", NAMED, COSTLY]);
    expect(await modelIds(admin)).toEqual(["local/sketch", "openai:gpt-image-1", ADMINS_ONLY, COSTLY]);
    expect((await adminCli("model", "list")).out).toContain(`${NAMED}\t${named.email}\tcost 1`);
  });
});

describe("choosing a model", () => {
  it("answers 403 Model not available for a restricted model, and lets its people use it", async () => {
    for (const model of [ADMINS_ONLY, NAMED]) {
      const res = await generate(ada, { model });
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ meta: { code: 0, message: "Model not available" }, data: null });
    }
    expect((await generate(named, { model: NAMED })).status).toBe(202);
    expect((await generate(admin, { model: ADMINS_ONLY })).status).toBe(202);
    expect((await generate(named, { model: ADMINS_ONLY })).status).toBe(403);
  });

  it("answers 400 naming the field and the model for a setting the model lacks, and for a model outside the catalog", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ model: "openai:gpt-image-1", negative_prompt: "blur" }, "negative_prompt"],
      [{ model: "openai:gpt-image-1", aspect_ratio: "16:9" }, "aspect_ratio"],
      [{ model: "openai:gpt-image-1", seed: 7 }, "seed"],
      [{ model: COSTLY, seed: 7 }, "seed"],
    ];
    for (const [json, field] of cases) {
      const res = await generate(ada, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.json.meta.field).toBe(field);
      expect(res.json.meta.message).toContain(String(json.model));
    }
    const outside = await generate(ada, { model: "openai:dall-e-3" });
    expect(outside.status).toBe(400);
    expect(outside.json.meta.field).toBe("model");
  });

  it("sends OpenAI its own size for the aspect ratio and records no seed for a model without seeds", async () => {
    const res = await generate(ada, { model: "openai:gpt-image-1", aspect_ratio: "3:2", prompt: "wide harbour" });
    expect(res.status).toBe(202);
    expect(res.json.data).toMatchObject({ model: "openai:gpt-image-1", aspect_ratio: "3:2", seed: null });
    const job = await waitDone(ada, res.json.data.job_id);
    expect(job.status).toBe("completed");
    const sent = fake.requests.find((r) => r.body?.prompt?.startsWith("wide harbour"))!;
    expect(sent.body).toMatchObject({ model: "gpt-image-1", n: 1, size: "1536x1024" });
    expect(sent.body.seed).toBeUndefined();
  });
});

describe("the daily quota counts images times the model's cost", () => {
  it("counts each of the n images", async () => {
    const user = await createUser("quota-images");
    expect((await generate(user, { n: 4 })).status).toBe(202);
    const over = await generate(user, { n: 3 });
    expect(over.status).toBe(429);
    expect(over.json.meta.message).toBe("Daily limit of 6 images reached");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(86_000);
    expect((await generate(user, { n: 2 })).status).toBe(202);
    expect((await generate(user, { n: 1 })).status).toBe(429);
  });

  it("counts an image of a costly model as its cost", async () => {
    const user = await createUser("quota-cost");
    expect((await generate(user, { model: COSTLY, n: 2 })).status).toBe(202);
    expect((await generate(user, { model: COSTLY })).status).toBe(429);
    expect((await generate(user, {})).status).toBe(429);
  });
});
