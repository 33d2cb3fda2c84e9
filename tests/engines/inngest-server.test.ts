// /api/inngest on real production servers: absent in embedded mode; in Inngest
// mode it answers only requests signed with INNGEST_SIGNING_KEY, registers the
// function's configuration, starts without touching the network, and a job
// whose event cannot be sent is failed visibly (503), never left queued.

import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { call, createUser, type TestUser } from "../support/api";
import { closeSql, jobRow } from "../support/db";
import { closedPort, type FakeInngest, startFakeInngest } from "./fakes/inngest-api";

const SIGNING_KEY = `signkey-test-${randomBytes(32).toString("hex")}`;
const OTHER_KEY = `signkey-test-${randomBytes(32).toString("hex")}`;
const PORT = testPort(120);

let server: RunningServer;
let inngestApi: FakeInngest;
let ada: TestUser;

// X-Inngest-Signature: t=<unix>&s=HMAC-SHA256(key without its signkey-<env>- prefix, body + t).
function sign(body: string, key = SIGNING_KEY, ts = Math.round(Date.now() / 1000)): string {
  const hmac = createHmac("sha256", key.replace(/^signkey-\w+-/, ""))
    .update(body + ts)
    .digest("hex");
  return `t=${ts}&s=${hmac}`;
}

async function inngestCall(method: string, options: { body?: string; signature?: string; headers?: Record<string, string>; query?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.signature) headers["x-inngest-signature"] = options.signature;
  const res = await fetch(`${server.url}/api/inngest${options.query ?? ""}`, { method, headers, body: options.body });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

async function onSecondServer(path: string, init: { method?: string; token: string; json?: unknown }) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.json ? "POST" : "GET"),
    headers: { authorization: `Bearer ${init.token}`, ...(init.json ? { "content-type": "application/json" } : {}) },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

beforeAll(async () => {
  inngestApi = await startFakeInngest();
  server = await startServer({
    port: PORT,
    env: {
      JOB_RUNNER: "inngest",
      INNGEST_SIGNING_KEY: SIGNING_KEY,
      INNGEST_EVENT_KEY: "test-event-key",
      // Registration/API calls would land on the recorder; events on a closed port.
      INNGEST_API_BASE_URL: inngestApi.url,
      INNGEST_EVENT_API_BASE_URL: `http://127.0.0.1:${await closedPort()}/`,
      INNGEST_DEV: undefined,
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: inject("dataDir"),
    },
  });
  ada = await createUser("ada-inngest-server");
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await inngestApi?.close();
  await closeSql();
});

describe("embedded mode (the shared test server)", () => {
  it.each(["GET", "POST", "PUT"])("answers %s /api/inngest with 404", async (method) => {
    const res = await call("/api/inngest", { method, body: method === "GET" ? undefined : "{}" });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ meta: { code: 0, message: "Not found" }, data: null });
  });
});

describe("Inngest mode: request signatures", () => {
  it("started without a single call to Inngest", () => {
    expect(inngestApi.calls).toEqual([]);
    expect(server.output()).toContain('"runner":"inngest"');
  });

  it("answers unsigned, badly signed, foreign-key and expired requests with 401", async () => {
    const body = JSON.stringify({ event: {}, events: [], steps: {}, ctx: {} });
    const query = "?fnId=darkroom-generate-image&stepId=step";
    const cases = [
      await inngestCall("GET"),
      await inngestCall("POST", { body, query }),
      await inngestCall("POST", { body, query, signature: "t=1&s=deadbeef" }),
      await inngestCall("POST", { body, query, signature: sign(body, OTHER_KEY) }),
      await inngestCall("POST", { body, query, signature: sign(body, SIGNING_KEY, Math.round(Date.now() / 1000) - 3600) }),
      await inngestCall("PUT", { body: "" }),
      await inngestCall("POST", { body: "{not json", query }),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(inngestApi.calls).toEqual([]); // an unsigned PUT did not make the app sync itself
  });

  it("answers a correctly signed introspection with 200", async () => {
    const res = await inngestCall("GET", { signature: sign("") });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ authentication_succeeded: true, mode: "cloud", function_count: 2, has_event_key: true, has_signing_key: true });
  });

  it("registers the function with retries 3, per-person concurrency, idempotency per queued job and cancel on delete", async () => {
    const body = JSON.stringify({ url: `${server.url}/api/inngest` });
    const res = await inngestCall("PUT", { body, signature: sign(body), headers: { "x-inngest-sync-kind": "in_band" } });
    expect(res.status).toBe(200);
    const fn = res.json.functions.find((f: any) => f.id === "darkroom-generate-image");
    expect(fn.triggers).toEqual([{ event: "darkroom/image.requested" }]);
    expect(fn.steps.step.retries).toEqual({ attempts: 3 });
    expect(fn.concurrency).toEqual([{ key: "event.data.userId", limit: 2 }]);
    expect(fn.idempotency).toBe("event.data.jobId + '@' + event.data.queuedAt");
    expect(fn.cancel).toEqual([{ event: "darkroom/job.deleted", if: "async.data.jobId == event.data.jobId && async.data.userId == event.data.userId" }]);
    expect(res.json.functions.map((f: any) => f.id)).toContain("darkroom-generate-image-failure");
    expect(inngestApi.calls).toEqual([]);
  });

  it("answers a signed but malformed body with 400, not 500", async () => {
    const res = await inngestCall("POST", { body: "{not json", query: "?fnId=darkroom-generate-image&stepId=step", signature: sign("{not json") });
    expect(res.status).toBe(400);
  });
});

describe("Inngest mode: dispatch cannot lose a job", () => {
  it("fails the job visibly with 503 when the event cannot be sent, and again on retry", async () => {
    const created = await onSecondServer("/api/generate-image", { token: ada.token, json: { prompt: "nobody will run me" } });
    expect(created.status).toBe(503);
    expect(created.headers.get("retry-after")).toBe("5");
    expect(created.json.meta.message).toContain("could not be scheduled");
    const listed = await call("/api/jobs?limit=5", { token: ada.token });
    const job = listed.json.data.jobs.find((j: any) => j.prompt === "nobody will run me");
    expect(job).toMatchObject({ status: "failed", error: "The job could not be scheduled; retry it in a moment" });
    expect((await jobRow(job.job_id))!.status).toBe("failed");

    const retried = await onSecondServer(`/api/retry-job/${job.job_id}`, { method: "POST", token: ada.token });
    expect(retried.status).toBe(503);
    expect((await jobRow(job.job_id))!.status).toBe("failed");
  });
});

describe("start-up", () => {
  it("refuses to start in Inngest mode without its keys, naming the variables", async () => {
    const attempt = startServer({
      port: PORT + 1,
      env: {
        JOB_RUNNER: "inngest",
        INNGEST_DEV: undefined,
        INNGEST_SIGNING_KEY: undefined,
        INNGEST_EVENT_KEY: undefined,
        DATABASE_URL: inject("databaseUrl"),
        DATA_DIR: inject("dataDir"),
      },
    });
    await expect(attempt).rejects.toThrow(/INNGEST_EVENT_KEY: required when JOB_RUNNER=inngest[\s\S]*INNGEST_SIGNING_KEY/);
  }, 120_000);
});
