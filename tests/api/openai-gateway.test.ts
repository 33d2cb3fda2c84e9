// The OpenAI-compatible gateway (issue 14), driven by OpenAI's own npm client
// with personal API keys: a generation is an ordinary job in the caller's
// gallery, answered inline (b64_json) or as short-lived signed links (url);
// errors come back as the client's error classes; a link that is forged,
// tampered with, expired, revoked or whose image is gone is the same 404; a
// key sees only its owner's images and models.
import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { adminCli } from "../support/admin";
import { type Answer, baseUrl, call, createUser, type TestUser } from "../support/api";
import { closeSql, sql } from "../support/db";
import { documentedTemplate, undocumentedProblems } from "../support/openapi";

type Key = { id: string; key: string };

async function createKey(owner: TestUser, scopes: string[] = ["generate", "read"], base?: string): Promise<Key> {
  const res = await call("/api/account/keys", { token: owner.token, json: { name: "gateway", scopes }, base });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
  return res.json.data;
}

// The SDK's answers are checked against the OpenAPI document too, like call()'s:
// status, content type and body of every answer to a documented route and method.
const documentedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const res = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input);
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const template = await documentedTemplate(baseUrl(), url.pathname);
  if (template === null) return res;
  const problems = await undocumentedProblems(baseUrl(), method, template, { status: res.status, headers: res.headers, text: await res.clone().text() });
  if (problems.length === 1 && problems[0]!.endsWith("is not in the document")) return res;
  if (problems.length > 0) throw new Error(`${method} ${url.pathname}: the answer does not match the OpenAPI document:\n${problems.join("\n")}`);
  return res;
};

const client = (apiKey: string, base = baseUrl()) =>
  new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0, timeout: 60_000, fetch: documentedFetch as typeof fetch });

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isImage = (bytes: Buffer) =>
  bytes.subarray(0, 8).equals(PNG) || (bytes.subarray(0, 4).toString() === "RIFF" && bytes.subarray(8, 12).toString() === "WEBP");
// Every header but the date: /v1 answers carry the API's fixed policy, no per-request nonce.
const fingerprint = (res: Answer) => ({
  status: res.status,
  headers: [...res.headers.entries()].filter(([k]) => k !== "date"),
  body: res.text,
});
const linkPath = (url: string) => new URL(url).pathname;
const tokenOf = (url: string) =>
  linkPath(url)
    .split("/")
    .pop()!
    .replace(/\.\w+$/, "");

async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function jobsOf(token: string): Promise<any[]> {
  const res = await call("/api/jobs?limit=100", { token });
  expect(res.status).toBe(200);
  return res.json.data.jobs;
}

async function countJobs(userId: string): Promise<number> {
  const [row] = await sql()`select count(*)::int as n from image_jobs where user_id = ${userId}`;
  return row!.n;
}

let ada: TestUser;
let bob: TestUser;
let adaKey: Key;
let bobKey: Key;

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-gateway"), createUser("bob-gateway")]);
  [adaKey, bobKey] = await Promise.all([createKey(ada), createKey(bob)]);
});
afterAll(closeSql);

describe("generating through OpenAI's client", () => {
  it("answers b64_json with the image, made as a job in the owner's gallery and only there", async () => {
    const prompt = `a lighthouse at dusk ${randomUUID()}`;
    const started = Math.floor(Date.now() / 1000);
    const res = await client(adaKey.key).images.generate({ model: "local/sketch", prompt, response_format: "b64_json", size: "1024x1024", user: "someone" });
    expect(res.created).toBeGreaterThanOrEqual(started - 1);
    expect(res.data).toHaveLength(1);
    const bytes = Buffer.from(res.data![0]!.b64_json!, "base64");
    expect(isImage(bytes)).toBe(true);
    expect(res.data![0]!.url).toBeUndefined();

    const mine = (await jobsOf(ada.token)).filter((j) => j.prompt === prompt);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: "completed", model: "local/sketch", aspect_ratio: "1:1", quality: "high", style: "realistic", n: 1 });
    // The same bytes as the gallery's own image route serves the owner.
    const served = await call(mine[0].images[0].url, { token: ada.token });
    expect(served.bytes.equals(bytes)).toBe(true);
    expect(JSON.stringify(await jobsOf(bob.token))).not.toContain(prompt);
    expect(JSON.stringify(await jobsOf(bobKey.key))).not.toContain(mine[0].job_id);
    // Bob's key on Ada's image: the same 404 as an image that does not exist.
    const theirs = await call(mine[0].images[0].url, { token: bobKey.key });
    const missing = await call(`/api/images/${randomUUID()}`, { token: bobKey.key });
    expect(theirs.status).toBe(404);
    expect(fingerprint(theirs)).toEqual(fingerprint(missing));
  });

  it("maps size, quality and style onto the job's settings", async () => {
    const prompt = `a wide harbour ${randomUUID()}`;
    await client(adaKey.key).images.generate({ prompt, size: "1792x1024", quality: "standard", style: "vivid", response_format: "b64_json" });
    const [job] = (await jobsOf(ada.token)).filter((j) => j.prompt === prompt);
    expect(job).toMatchObject({ aspect_ratio: "16:9", quality: "standard", style: "digital-art" });
    const portrait = `a tall tower ${randomUUID()}`;
    await client(adaKey.key).images.generate({ prompt: portrait, size: "1024x1536", quality: "hd", style: "natural", response_format: "b64_json" });
    const [tall] = (await jobsOf(ada.token)).filter((j) => j.prompt === portrait);
    expect(tall).toMatchObject({ aspect_ratio: "2:3", quality: "high", style: "realistic" });
  });

  it("answers url with n short-lived links, each serving its own image with the image route's safe headers", async () => {
    const prompt = `two boats ${randomUUID()}`;
    const res = await client(adaKey.key).images.generate({ prompt, n: 2, response_format: "url", size: "512x512" });
    expect(res.data).toHaveLength(2);
    const [job] = (await jobsOf(ada.token)).filter((j) => j.prompt === prompt);
    expect(job.images).toHaveLength(2);
    for (const [i, image] of res.data!.entries()) {
      expect(image.b64_json).toBeUndefined();
      expect(image.url).toMatch(new RegExp(`^${baseUrl()}/v1/images/links/[A-Za-z0-9_-]{100}\\.(png|webp)$`));
      // No credentials: the link itself is the credential.
      const link = await call(linkPath(image.url!));
      expect(link.status).toBe(200);
      expect(isImage(link.bytes)).toBe(true);
      const own = await call(job.images[i].url, { token: ada.token });
      expect(link.bytes.equals(own.bytes)).toBe(true);
      // proxy.ts treats /v1/ like /api/, so the link answers with exactly the image route's headers.
      for (const header of [
        "content-type",
        "content-length",
        "cache-control",
        "x-content-type-options",
        "cross-origin-resource-policy",
        "x-frame-options",
        "content-security-policy",
      ]) {
        expect(link.headers.get(header), header).toBe(own.headers.get(header));
      }
      expect(link.headers.get("cache-control")).toBe("private, no-store");
    }
  });

  it("answers a link that is forged, tampered with, foreign-made or whose image is gone exactly like a missing image", async () => {
    const res = await client(adaKey.key).images.generate({ prompt: `a link ${randomUUID()}`, response_format: "url" });
    const url = res.data![0]!.url!;
    const token = tokenOf(url);
    expect((await call(linkPath(url))).status).toBe(200);
    const flip = (t: string, at: number) => `${t.slice(0, at)}${t[at] === "A" ? "B" : "A"}${t.slice(at + 1)}`;
    // Bob's own link with Ada's image id put in: the signature no longer matches.
    const bobs = await client(bobKey.key).images.generate({ prompt: `bob's link ${randomUUID()}`, response_format: "url" });
    const bobRaw = Buffer.from(tokenOf(bobs.data![0]!.url!), "base64url");
    Buffer.from(token, "base64url").copy(bobRaw, 1, 1, 17);
    const variants = [
      flip(token, 5), // image id
      flip(token, 30), // owner
      flip(token, 45), // times
      flip(token, 99), // signature
      bobRaw.toString("base64url"),
      Buffer.alloc(75).toString("base64url"),
      "not-a-link",
      `${token}x`,
    ];
    const gonePrompt = `soon gone ${randomUUID()}`;
    const deleted = await client(adaKey.key).images.generate({ prompt: gonePrompt, response_format: "url" });
    const [gone] = (await jobsOf(ada.token)).filter((j) => j.prompt === gonePrompt);
    expect((await call(`/api/jobs/${gone.job_id}`, { method: "DELETE", token: ada.token })).status).toBe(200);
    const missing = await call(linkPath(deleted.data![0]!.url!));
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { message: "Image not found", type: "invalid_request_error", param: null, code: null } });
    for (const variant of variants) {
      const answer = await call(`/v1/images/links/${variant}.png`);
      expect(fingerprint(answer), variant).toEqual(fingerprint(missing));
    }
    // And Ada's bearer credentials change nothing about a bad link.
    expect(fingerprint(await call(`/v1/images/links/${variants[0]}.png`, { token: ada.token }))).toEqual(fingerprint(missing));
  });

  it("answers like OpenAI when no response_format is named: a URL for dall-e-3 (LibreChat's DALL·E 3 tool), b64_json for gpt-image-1", async () => {
    // As LibreChat's DALL·E 3 tool sends it: its fixed model name, no response_format.
    const dalle = await client(adaKey.key).images.generate({
      model: "dall-e-3",
      prompt: "a fox, dall-e style",
      size: "1024x1792",
      quality: "hd",
      style: "vivid",
      n: 1,
    });
    expect(dalle.data![0]!.url).toMatch(/\/v1\/images\/links\/.+\.(png|webp)$/);
    expect((await call(linkPath(dalle.data![0]!.url!))).status).toBe(200);
    const gpt = await client(adaKey.key).images.generate({ model: "gpt-image-1", prompt: "a fox, gpt-image style" });
    expect(isImage(Buffer.from(gpt.data![0]!.b64_json!, "base64"))).toBe(true);
    const jobs = await jobsOf(ada.token);
    expect(jobs.find((j) => j.prompt === "a fox, dall-e style")).toMatchObject({
      model: "local/sketch",
      aspect_ratio: "9:16",
      quality: "high",
      style: "digital-art",
    });
  });

  it("answers a repeated Idempotency-Key with the same job's images instead of a new job", async () => {
    const prompt = `once only ${randomUUID()}`;
    const headers = { "Idempotency-Key": randomUUID() };
    const first = await client(adaKey.key).images.generate({ prompt, response_format: "b64_json" }, { headers });
    const again = await client(adaKey.key).images.generate({ prompt, response_format: "b64_json" }, { headers });
    expect(again.data![0]!.b64_json).toBe(first.data![0]!.b64_json);
    expect((await jobsOf(ada.token)).filter((j) => j.prompt === prompt)).toHaveLength(1);
  });

  it("ends every link of an account signed out everywhere", async () => {
    const carol = await createUser("carol-gateway");
    const key = await createKey(carol);
    const res = await client(key.key).images.generate({ prompt: "before sign-out", response_format: "url" });
    const path = linkPath(res.data![0]!.url!);
    expect((await call(path)).status).toBe(200);
    const missing = await call(`/v1/images/links/${Buffer.alloc(75).toString("base64url")}.png`);
    expect((await call("/api/account/sessions/revoke", { method: "POST", token: carol.token })).status).toBe(200);
    expect(fingerprint(await call(path))).toEqual(fingerprint(missing));
  });
});

describe("refusals in OpenAI's shape", () => {
  it("refuses a bad key with the client's AuthenticationError", async () => {
    for (const bad of [`dk_${"0".repeat(12)}_${"A".repeat(43)}`, "sk-not-a-darkroom-key", `${adaKey.key.slice(0, -1)}x`]) {
      const error = await caught(client(bad).images.generate({ prompt: "nope" }));
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error.status).toBe(401);
      expect(error.code).toBe("invalid_api_key");
    }
    const none = await call("/v1/images/generations", { json: { prompt: "nope" } });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: { message: "Authentication required", type: "invalid_request_error", param: null, code: "invalid_api_key" } });
  });

  it("refuses a key with only the read scope, and creates nothing", async () => {
    const readOnly = await createKey(ada, ["read"]);
    const before = await countJobs(ada.id);
    const error = await caught(client(readOnly.key).images.generate({ prompt: "read only" }));
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(error.status).toBe(403);
    expect(error.message).toContain("Insufficient permission");
    expect(await countJobs(ada.id)).toBe(before);
    // Reading the model list is fine for any key.
    expect((await client(readOnly.key).models.list()).data.map((m) => m.id)).toEqual(["local/sketch"]);
  });

  it.each([
    ["bad JSON", "{not json", null],
    ["a missing prompt", { n: 1 }, "prompt"],
    ["a prompt that is not a string", { prompt: 42 }, "prompt"],
    ["an empty prompt", { prompt: "   " }, "prompt"],
    ["a prompt over 2000 characters", { prompt: "x".repeat(2001) }, "prompt"],
    ["n = 0", { prompt: "p", n: 0 }, "n"],
    ["n = 11", { prompt: "p", n: 11 }, "n"],
    ["n = 5 (Darkroom makes at most 4)", { prompt: "p", n: 5 }, "n"],
    ["n as a string", { prompt: "p", n: "2" }, "n"],
    ["n = 1.5", { prompt: "p", n: 1.5 }, "n"],
    ["a size that is not a size", { prompt: "p", size: "big" }, "size"],
    ["an unknown quality", { prompt: "p", quality: "ultra" }, "quality"],
    ["an unknown style", { prompt: "p", style: "loud" }, "style"],
    ["an unknown response_format", { prompt: "p", response_format: "png" }, "response_format"],
    ["streaming", { prompt: "p", stream: true }, "stream"],
    ["a model that is not a string", { prompt: "p", model: 7 }, "model"],
    ["an array body", [{ prompt: "p" }], null],
  ])("answers %s with a 400 in OpenAI's shape, and creates nothing", async (_label, body, param) => {
    const before = await countJobs(ada.id);
    const res = await call("/v1/images/generations", {
      token: adaKey.key,
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json" },
      method: "POST",
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(res.json.error).toMatchObject({ type: "invalid_request_error", param });
    expect(res.headers.get("cache-control")).toBe("private, no-store, no-transform");
    expect(await countJobs(ada.id)).toBe(before);
  });

  it("surfaces a 400 as the client's BadRequestError with its param", async () => {
    const error = await caught(client(adaKey.key).images.generate({ prompt: "p", n: 12 }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe("n");
  });

  it("answers other methods with 405 in OpenAI's shape", async () => {
    const res = await call("/v1/images/generations", { token: adaKey.key });
    expect(res.status).toBe(405);
    expect(res.json.error.type).toBe("invalid_request_error");
  });
});

describe("models", () => {
  it("lists the caller's image models in OpenAI's list shape, and retrieves one", async () => {
    const list = await call("/v1/models", { token: adaKey.key });
    expect(list.status).toBe(200);
    expect(list.json).toEqual({ object: "list", data: [{ id: "local/sketch", object: "model", created: 0, owned_by: "local" }] });
    const models = await client(adaKey.key).models.list();
    expect(models.data.map((m) => m.id)).toEqual(["local/sketch"]);
    expect(await client(adaKey.key).models.retrieve("local/sketch")).toMatchObject({ id: "local/sketch", object: "model" });
    const error = await caught(client(adaKey.key).models.retrieve("no-such-model"));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
  });
});

// A server of its own: a catalog with a restricted model and one whose image
// service never answers, a tiny daily quota, one attempt per job, a short wait
// and a short link lifetime.
describe("limits, waiting, failures, expiry and model permissions", () => {
  const RESTRICTED = "compatible:gateway-restricted";
  const HANGING = "compatible:gateway-hanging";
  let server: RunningServer;
  let named: TestUser;
  // An "image service" that takes connections and never answers.
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentPort = (silent.address() as { port: number }).port;
    server = await startServer({
      port: testPort(126),
      env: {
        IMAGE_MODELS: `local/sketch,${RESTRICTED},${HANGING}`,
        IMAGE_BASE_URL: `http://127.0.0.1:${silentPort}/v1`,
        IMAGE_TIMEOUT_MS: "30000",
        DAILY_JOB_QUOTA: "3",
        MAX_ACTIVE_JOBS_PER_USER: "1",
        OPENAI_GATEWAY_WAIT_MS: "1500",
        OPENAI_LINK_TTL_SECONDS: "2",
        JOB_MAX_ATTEMPTS: "1",
        DARKROOM_TEST_HOOKS: "true",
        DATABASE_URL: inject("databaseUrl"),
        DATA_DIR: inject("dataDir"),
      },
    });
    named = await createUser("named-gateway");
    const res = await adminCli("model", "restrict", RESTRICTED, named.email);
    expect(res.code, res.out).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it("refuses past the daily quota with the client's RateLimitError (insufficient_quota), and creates nothing", async () => {
    const person = await createUser("quota-gateway");
    const key = await createKey(person);
    const openai = client(key.key, server.url);
    expect((await openai.images.generate({ prompt: "first two", n: 2, response_format: "b64_json" })).data).toHaveLength(2);
    const before = await countJobs(person.id);
    const error = await caught(openai.images.generate({ prompt: "two more", n: 2, response_format: "b64_json" }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.code).toBe("insufficient_quota");
    expect(error.type).toBe("insufficient_quota");
    expect(error.headers.get("x-should-retry")).toBe("false");
    expect(Number(error.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await countJobs(person.id)).toBe(before);
  });

  it("answers a job slower than the wait with a 504 the client does not retry, and the job goes on in the gallery", async () => {
    const person = await createUser("slow-gateway");
    const key = await createKey(person);
    const prompt = `slow ${randomUUID()}`;
    const started = Date.now();
    // The client's defaults (two retries): the answer must tell it not to.
    const error = await caught(new OpenAI({ apiKey: key.key, baseURL: `${server.url}/v1` }).images.generate({ prompt, model: HANGING }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(504);
    expect(error.code).toBe("timeout");
    expect(error.headers.get("x-should-retry")).toBe("false");
    // The client's default retries were not used: one job, answered after one wait.
    expect(Date.now() - started).toBeLessThan(4000);
    const jobs = (await jobsOf(person.token)).filter((j) => j.prompt === prompt);
    expect(jobs).toHaveLength(1);
    expect(error.message).toContain(jobs[0].job_id);
    expect(["queued", "processing"]).toContain(jobs[0].status);
    // That job still counts as unfinished (at most one here): the next is a retryable 429.
    const busy = await caught(client(key.key, server.url).images.generate({ prompt: "one more" }));
    expect(busy).toBeInstanceOf(OpenAI.RateLimitError);
    expect(busy.code).toBe("rate_limit_exceeded");
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(busy.headers.get("x-should-retry")).toBeNull();
  });

  it("answers a failed job with a 500 naming it, not retried, and leaves it failed in the gallery to retry", async () => {
    const person = await createUser("failing-gateway");
    const key = await createKey(person);
    const prompt = `broken [[fail]] ${randomUUID()}`;
    const error = await caught(new OpenAI({ apiKey: key.key, baseURL: `${server.url}/v1` }).images.generate({ prompt }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(500);
    expect(error.code).toBe("generation_failed");
    expect(error.headers.get("x-should-retry")).toBe("false");
    const jobs = (await jobsOf(person.token)).filter((j) => j.prompt === prompt);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].status).toBe("failed");
    expect(error.message).toContain(jobs[0].job_id);
  });

  it("lets a link expire: afterwards it is the same 404 as a missing image", async () => {
    const person = await createUser("expiry-gateway");
    const key = await createKey(person);
    const res = await client(key.key, server.url).images.generate({ prompt: "short-lived", response_format: "url" });
    const path = linkPath(res.data![0]!.url!);
    expect(res.data![0]!.url!.startsWith(server.url)).toBe(true);
    expect((await call(path, { base: server.url })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    const expired = await call(path, { base: server.url });
    const missing = await call(`/v1/images/links/${Buffer.alloc(75).toString("base64url")}.png`, { base: server.url });
    expect(expired.status).toBe(404);
    expect(fingerprint(expired)).toEqual(fingerprint(missing));
    // A link is a credential: the server's log names the route, never the token.
    expect(server.output()).toContain("/v1/images/links/");
    expect(server.output()).not.toContain(tokenOf(res.data![0]!.url!));
  });

  it("lists only the models the key's owner may use, and answers a restricted model exactly like an unknown one", async () => {
    const person = await createUser("models-gateway");
    const [key, namedKey] = await Promise.all([createKey(person), createKey(named)]);
    const openai = client(key.key, server.url);
    expect((await openai.models.list()).data.map((m) => m.id)).toEqual(["local/sketch", HANGING]);
    expect((await client(namedKey.key, server.url).models.list()).data.map((m) => m.id)).toEqual(["local/sketch", RESTRICTED, HANGING]);
    expect((await client(namedKey.key, server.url).models.retrieve(RESTRICTED)).id).toBe(RESTRICTED);

    const unknown = "compatible:gateway-unknown";
    const before = await countJobs(person.id);
    for (const [path, init] of [
      [`/v1/models/${RESTRICTED}`, {}],
      ["/v1/images/generations", { json: { prompt: "p", model: RESTRICTED } }],
    ] as const) {
      const restricted = await call(path, { token: key.key, base: server.url, ...init });
      const missing = await call(path.replace(RESTRICTED, unknown), {
        token: key.key,
        base: server.url,
        ...("json" in init ? { json: { prompt: "p", model: unknown } } : {}),
      });
      expect(restricted.status).toBe(404);
      expect(restricted.json.error.code).toBe("model_not_found");
      expect(fingerprint(restricted)).toEqual({ ...fingerprint(missing), body: missing.text.replace(unknown, RESTRICTED) });
    }
    const error = await caught(openai.images.generate({ prompt: "p", model: RESTRICTED }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await countJobs(person.id)).toBe(before);
  });

  it("uses the caller's default model when none is named, and for OpenAI's own model names", async () => {
    const person = await createUser("default-gateway");
    const key = await createKey(person);
    const openai = client(key.key, server.url);
    await openai.images.generate({ prompt: "no model", response_format: "b64_json" });
    await openai.images.generate({ prompt: "dall-e-3 please", model: "dall-e-3", response_format: "b64_json" });
    const jobs = await jobsOf(person.token);
    expect(jobs.map((j) => [j.prompt, j.model]).sort()).toEqual([
      ["dall-e-3 please", "local/sketch"],
      ["no model", "local/sketch"],
    ]);
  });
});
