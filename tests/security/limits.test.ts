// Abuse and cost limits (OWASP API4) and access-token key rotation, on servers
// of their own with tight, known limits.

import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { runtimeUrl } from "../support/db";

let server: RunningServer;
let dataDir: string;
const cleanups: (() => Promise<void>)[] = [];

async function req(s: RunningServer, route: string, init: { method?: string; json?: unknown; token?: string; ip?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.ip) headers["x-forwarded-for"] = init.ip;
  const started = performance.now();
  const res = await fetch(`${s.url}${route}`, {
    method: init.method ?? (init.json ? "POST" : "GET"),
    headers,
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text), ms: performance.now() - started };
}

async function register(s: RunningServer) {
  const email = `limits-${randomUUID().slice(0, 8)}@example.com`;
  const password = "the right password";
  expect((await req(s, "/api/register", { json: { email, password } })).status).toBe(201);
  const token = (await req(s, "/api/token", { json: { email, password }, ip: "198.51.100.200" })).json.data.access_token as string;
  return { email, password, token };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-limits-"));
  await chmod(dataDir, 0o755);
  server = await startServer({
    port: testPort(41),
    env: {
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: dataDir,
      DARKROOM_TEST_HOOKS: "true",
      JOB_RETRY_BASE_MS: "30000", // failing jobs stay unfinished while the test runs
      LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: "3",
      LOGIN_FAILURES_PER_ACCOUNT: "6",
      LOGIN_FAILURES_PER_ADDRESS: "1000",
      LOGIN_BLOCK_SECONDS: "120",
      // As behind one proxy that appends the client's address: per-address limits apply.
      TRUSTED_PROXY_HOPS: "1",
      MAX_ACTIVE_JOBS_PER_USER: "2",
      DAILY_JOB_QUOTA: "4",
    },
  });
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("sign-in throttling", () => {
  it("blocks an address after repeated failures for an account, identically whether the account exists or not", async () => {
    const user = await register(server);
    const ghost = `ghost-${randomUUID().slice(0, 8)}@example.com`;
    const answers: Record<string, { status: number; text: string }[]> = { real: [], ghost: [] };
    for (const [label, email] of [
      ["real", user.email],
      ["ghost", ghost],
    ] as const) {
      for (let i = 0; i < 4; i++) {
        const res = await req(server, "/api/token", { json: { email, password: "wrong password" }, ip: `203.0.113.${label === "real" ? 1 : 2}` });
        answers[label]!.push({ status: res.status, text: res.text });
      }
    }
    expect(answers.real!.map((a) => a.status)).toEqual([401, 401, 401, 429]);
    expect(answers.real).toEqual(answers.ghost);
    expect(answers.real![3]!.text).toBe('{"meta":{"code":0,"message":"Too many failed sign-in attempts; try again later"},"data":null}');

    // Even the right password waits out the block from that address...
    const blocked = await req(server, "/api/token", { json: { email: user.email, password: user.password }, ip: "203.0.113.1" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get("retry-after"))).toBeLessThanOrEqual(120);
    // ...but the owner, from another address, is not locked out.
    expect((await req(server, "/api/token", { json: { email: user.email, password: user.password }, ip: "192.0.2.77" })).status).toBe(200);
  });

  it("stops a distributed guess at the account limit, for every address, until the window passes", async () => {
    const user = await register(server);
    for (let i = 0; i < 6; i++) {
      expect((await req(server, "/api/token", { json: { email: user.email, password: `guess ${i}` }, ip: `198.51.100.${i + 10}` })).status).toBe(401);
    }
    // Any address is now refused for this account, the right password too (the
    // owner's browser keeps its device cookie: e2e/lockout.spec.ts)...
    expect((await req(server, "/api/token", { json: { email: user.email, password: "guess 99" }, ip: "198.51.100.99" })).status).toBe(429);
    const owner = await req(server, "/api/token", { json: { email: user.email, password: user.password }, ip: "192.0.2.99" });
    expect(owner.status).toBe(429);
    expect(Number(owner.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(Number(owner.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    // ...while other accounts are untouched.
    const other = await register(server);
    expect((await req(server, "/api/token", { json: { email: other.email, password: other.password }, ip: "198.51.100.10" })).status).toBe(200);
  });

  it("counts an IPv6 address by its /64: rotating within it does not reset the per-address limit", async () => {
    const user = await register(server);
    for (let i = 0; i < 3; i++) {
      expect((await req(server, "/api/token", { json: { email: user.email, password: `v6 ${i}` }, ip: `2001:db8:77:1::${i + 1}` })).status).toBe(401);
    }
    expect((await req(server, "/api/token", { json: { email: user.email, password: "v6 x" }, ip: "2001:db8:77:1:ffff::9" })).status).toBe(429);
    expect((await req(server, "/api/token", { json: { email: user.email, password: user.password }, ip: "2001:db8:77:2::1" })).status).toBe(200);
  });

  it("spends about the same time on an unknown email as on a wrong password", async () => {
    const user = await register(server);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 2; i++) {
      known.push((await req(server, "/api/token", { json: { email: user.email, password: "nope" }, ip: `192.0.2.${150 + i}` })).ms);
      unknown.push((await req(server, "/api/token", { json: { email: `nobody-${i}@example.com`, password: "nope" }, ip: `192.0.2.${160 + i}` })).ms);
    }
    // Both run one Argon2id verification; without the dummy hash the unknown email would be ~10x faster.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.33);
  });
});

describe("generation limits", () => {
  it("refuses a job beyond the unfinished-jobs limit with 429 and Retry-After, creating nothing", async () => {
    const user = await register(server);
    for (let i = 0; i < 2; i++)
      expect((await req(server, "/api/generate-image", { token: user.token, json: { prompt: `slow failure ${i} [[fail]]` } })).status).toBe(202);
    const third = await req(server, "/api/generate-image", { token: user.token, json: { prompt: "one too many" } });
    expect(third.status).toBe(429);
    expect(third.json).toEqual({ meta: { code: 0, message: "You already have 2 unfinished jobs; wait for some to finish" }, data: null });
    expect(third.headers.get("retry-after")).toBe("10");
    expect((await req(server, "/api/jobs", { token: user.token })).json.data.jobs.length).toBe(2);
  });

  it("enforces the daily quota with a Retry-After until the oldest job ages out", async () => {
    const user = await register(server);
    for (let i = 0; i < 4; i++) {
      const res = await req(server, "/api/generate-image", { token: user.token, json: { prompt: `quota ${i}` } });
      expect(res.status).toBe(202);
      for (
        let t = 0;
        t < 100 && (await req(server, `/api/image-status/${res.json.data.job_id}`, { token: user.token })).json.data.status !== "completed";
        t++
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const fifth = await req(server, "/api/generate-image", { token: user.token, json: { prompt: "quota 5" } });
    expect(fifth.status).toBe(429);
    expect(fifth.json.meta.message).toBe("Daily limit of 4 images reached");
    const retryAfter = Number(fifth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(86_000);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect((await req(server, "/api/jobs", { token: user.token })).json.data.jobs.length).toBe(4);
  });
});

describe("access-token key rotation", () => {
  it("keeps accepting the previous key until it is removed, and sends HSTS in production", async () => {
    const keyOne = `first-key-${"x".repeat(32)}`;
    const keyTwo = `second-key-${"y".repeat(32)}`;
    // Production as docs/deploy.md sets it up: the app connects as an unprivileged role, migrations as the owner.
    const base = {
      DATABASE_URL: runtimeUrl(),
      MIGRATIONS_DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: dataDir,
      DARKROOM_ENV: "production",
      AUTH_SECRET: "z".repeat(40),
    };
    const user = await register(server);
    await server.stop();

    let s = await startServer({ port: testPort(42), env: { ...base, API_TOKEN_SECRET: keyOne } });
    cleanups.push(() => s.stop());
    const old = (await req(s, "/api/token", { json: { email: user.email, password: user.password } })).json.data.access_token as string;
    expect((await req(s, "/api/jobs", { token: old })).status).toBe(200);
    await s.stop();

    s = await startServer({ port: testPort(42), env: { ...base, API_TOKEN_SECRET: keyTwo, API_TOKEN_SECRET_PREVIOUS: keyOne } });
    const rotated = await req(s, "/api/jobs", { token: old });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    const fresh = (await req(s, "/api/token", { json: { email: user.email, password: user.password } })).json.data.access_token as string;
    expect(JSON.parse(Buffer.from(fresh.split(".")[0]!, "base64url").toString()).kid).not.toBe(
      JSON.parse(Buffer.from(old.split(".")[0]!, "base64url").toString()).kid,
    );
    await s.stop();

    s = await startServer({ port: testPort(42), env: { ...base, API_TOKEN_SECRET: keyTwo } });
    expect((await req(s, "/api/jobs", { token: old })).status).toBe(401);
    expect((await req(s, "/api/jobs", { token: fresh })).status).toBe(200);
    await s.stop();
  }, 120_000);
});
