// Issue 9, "every account's door holds": text is clean before it is stored,
// logs never hold content, sign-up is throttled and hashing is capped. The
// request-level checks run against the shared server; the log and throttle
// checks on a server of this file's own, whose output and limits it controls.

import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseWith } from "@/lib/http/body";
import { idempotencyKeyInput } from "@/lib/jobs/input";
import { errorStack, errorText } from "@/lib/log";
import { QueueFullError, Semaphore } from "@/lib/semaphore";
import { findUncleanText } from "@/lib/text";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { call, createUser, failure, generate, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";

// An HTTP/1.1 request written byte for byte, so header values are sent exactly as given.
async function rawPost(base: URL, route: string, headers: Record<string, string>, json: unknown): Promise<{ status: number; json: any }> {
  const body = Buffer.from(JSON.stringify(json));
  const head = [
    `POST ${route} HTTP/1.1`,
    `host: ${base.host}`,
    "connection: close",
    "content-type: application/json",
    `content-length: ${body.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join("\r\n");
  const socket = connect(Number(base.port), base.hostname);
  socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body]));
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const status = Number(text.slice(9, 12));
  const start = text.indexOf("{");
  let parsed: any = null;
  try {
    parsed = JSON.parse(text.slice(start, text.lastIndexOf("}") + 1));
  } catch {}
  return { status, json: parsed };
}

const unclean = (field: string) => ({ meta: { code: 0, message: `Invalid field "${field}": must not contain control characters`, field }, data: null });

describe("findUncleanText", () => {
  it("accepts ordinary text, tab, newline and carriage return", () => {
    expect(findUncleanText({ prompt: "a cat\tin\r\na hat — ✓ 🐈", n: 3, ok: true, nothing: null, list: ["x", { y: "z" }] })).toBeNull();
    expect(findUncleanText("plain")).toBeNull();
  });

  it("finds NUL, other C0 controls, DEL and lone surrogates, by dotted path", () => {
    for (const bad of ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u000e", "\u001f", "\u007f", "\ud800", "x\udc00y"]) {
      expect(findUncleanText({ a: { b: ["ok", `text${bad}`] } }), JSON.stringify(bad)).toBe("a.b.1");
    }
    expect(findUncleanText("a\u0000")).toBe("");
    expect(findUncleanText({ "bad\u0000key": "fine" })).toBe("<key>");
    expect(findUncleanText({ first: "a\u0000", second: "b\u0000" })).toBe("first");
  });
});

describe("text is clean before it is stored", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser("clean-text");
  });

  const jobCount = async () => (await sql()`select count(*)::int as n from image_jobs where user_id = ${user.id}`)[0]!.n as number;

  it("refuses a NUL in the prompt with a 400 naming the field, storing nothing", async () => {
    const before = await jobCount();
    const res = await call("/api/generate-image", { token: user.token, json: { prompt: "a\u0000cat" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(unclean("prompt"));
    expect(await jobCount()).toBe(before);
  });

  it("names the first bad field of a nested JSON body, and refuses lone surrogates", async () => {
    const nested = await call("/api/generate-image", { token: user.token, json: { prompt: "fine", extra: { tags: ["ok", "bell\u0007"] } } });
    expect(nested.status).toBe(400);
    expect(nested.json).toEqual(unclean("extra.tags.1"));
    // JSON.stringify escapes a lone surrogate as \ud800, which JSON.parse turns back into one.
    const surrogate = await call("/api/generate-image", { token: user.token, json: { prompt: "half a pair \ud800" } });
    expect(surrogate.status).toBe(400);
    expect(surrogate.json).toEqual(unclean("prompt"));
  });

  it("lets tab, newline and carriage return through", async () => {
    const res = await call("/api/generate-image", { token: user.token, json: { prompt: "a cat\tin\r\na hat" } });
    expect(res.status).toBe(202);
  });

  it("checks every body format and every route: register, token, refresh, account deletion", async () => {
    const email = `clean-${randomUUID().slice(0, 8)}@example.com`;
    const cases: [string, Parameters<typeof call>[1], string][] = [
      ["/api/register", { json: { email, password: "long enough password", name: "Eve\u0000" } }, "name"],
      ["/api/register", { form: { email, password: "long enough\u007f password" } }, "password"],
      ["/api/register", { multipart: { email: `${email}\u001b`, password: "long enough password" } }, "email"],
      ["/api/token", { form: { email: user.email, password: `${user.password}\u0000` } }, "password"],
      ["/api/token/refresh", { json: { refresh_token: `${user.refreshToken}\u0000` } }, "refresh_token"],
      ["/api/token/revoke", { multipart: { refresh_token: "\u0000" } }, "refresh_token"],
      ["/api/account", { method: "DELETE", token: user.token, json: { password: "\u0000" } }, "password"],
    ];
    for (const [route, options, field] of cases) {
      const res = await call(route, options);
      expect(res.status, `${route} ${field}`).toBe(400);
      expect(res.json, `${route} ${field}`).toEqual(unclean(field));
    }
    expect((await sql()`select count(*)::int as n from users where email like ${`${email}%`}`)[0]!.n).toBe(0);
    // The account is untouched.
    expect((await call("/api/jobs", { token: user.token })).status).toBe(200);
  });

  it("checks query strings and the Idempotency-Key header", async () => {
    const query = await call(`/api/jobs?cursor=${encodeURIComponent("abc\u0001")}`, { token: user.token });
    expect(query.status).toBe(400);
    expect(query.json).toEqual(unclean("cursor"));
    // fetch and node:http refuse control characters in headers: write the request by hand.
    // Node's own HTTP parser refuses it first (a bare 400); behind a more lenient front
    // end the app's own check answers, as parseWith shows directly.
    const before = await jobCount();
    for (const bad of ["\u0001", "\u007f"]) {
      const header = await rawPost(
        new URL(inject("baseUrl")),
        "/api/generate-image",
        { authorization: `Bearer ${user.token}`, "idempotency-key": `key${bad}` },
        { prompt: "keyed" },
      );
      expect(header.status, JSON.stringify(bad)).toBe(400);
      expect(() => parseWith(idempotencyKeyInput.describe("Idempotency-Key"), `key${bad}`)).toThrow(
        'Invalid field "Idempotency-Key": must not contain control characters',
      );
    }
    expect(await jobCount()).toBe(before);
  });

  it("a NUL in a browser sign-in is a failed sign-in, not an error", async () => {
    const csrf = await fetch(`${inject("baseUrl")}/api/auth/csrf`);
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${inject("baseUrl")}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email: `${user.email}\u0000`, password: user.password, callbackUrl: "/" }),
      redirect: "manual",
    });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(false);
  });
});

describe("errorText", () => {
  class PostgresError extends Error {
    constructor(fields: Record<string, unknown>) {
      super(String(fields.message));
      this.name = "PostgresError";
      Object.assign(this, fields);
    }
  }

  it("names a database error by SQLSTATE and place, never by its words, query or params", () => {
    const cause = new PostgresError({
      message: 'duplicate key value violates unique constraint "users_email_unique"',
      detail: "Key (email)=(secret@example.com) already exists.",
      severity: "ERROR",
      code: "23505",
      constraint_name: "users_email_unique",
      table_name: "users",
      schema_name: "public",
    });
    const error = new DrizzleQueryError("insert into users (email, password_hash) values ($1, $2)", ["secret@example.com", "$argon2id$hash"], cause as never);
    expect(errorText(error)).toBe("DatabaseError SQLSTATE 23505 constraint=users_email_unique schema=public table=users");
    expect(errorStack(error)).not.toContain("secret@example.com");
    expect(errorStack(error)).not.toContain("argon2id");
  });

  it("never logs a failed query by its message, even without a server error underneath", () => {
    const dropped = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
    const error = new DrizzleQueryError("select * from image_jobs where prompt = $1", ["a private prompt"], dropped);
    expect(errorText(error)).toBe("DrizzleQueryError caused by Error CONNECTION_CLOSED");
    expect(errorText(new TypeError("plain"))).toBe("TypeError: plain");
  });

  it("finds the database error under an Auth.js wrapper (cause.err)", () => {
    const cause = new PostgresError({ message: 'invalid input syntax for type uuid: "secret"', severity: "ERROR", code: "22P02" });
    const query = new DrizzleQueryError("select * from users where email = $1", ["secret@example.com"], cause as never);
    const wrapped = new Error("Read more at https://errors.authjs.dev#callbackrouteerror", { cause: { err: query } });
    expect(errorText(wrapped)).toBe("DatabaseError SQLSTATE 22P02");
  });
});

describe("Semaphore", () => {
  it("runs at most `limit` tasks at once, queues at most `queue`, and refuses the rest at once", async () => {
    const gate = new Semaphore(2, 3);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => releases.push(r));
        running--;
      });
    const admitted = Array.from({ length: 5 }, task);
    await expect(task()).rejects.toBeInstanceOf(QueueFullError);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(admitted);
    expect(most).toBe(2);
    // Free again once the queue has drained.
    await expect(gate.run(async () => "done")).resolves.toBe("done");
  });
});

// ---- On a server of this file's own: its output is read, its limits are tight.

let server: RunningServer;
let dataDir: string;
const SIGNUPS_PER_HOUR = 20;
const SIGNUPS_PER_ADDRESS = 5;

// Sign-up counters live in the shared database: start from none.
const clearSignupCounters = () => sql()`delete from rate_limits where key like 'signup_%'`;

function req(route: string, init: { method?: string; json?: unknown; token?: string; ip?: string } = {}) {
  // One trusted proxy (TRUSTED_PROXY_HOPS=1) appends the address it saw, after
  // whatever the client wrote itself (a spoofed entry here, which must be ignored).
  const headers: Record<string, string> = init.ip ? { "x-forwarded-for": `203.0.113.250, ${init.ip}` } : {};
  return call(route, { base: server.url, method: init.method, json: init.json, token: init.token, headers });
}

async function register(ip: string, email = `hardening-${randomUUID().slice(0, 8)}@example.com`) {
  const password = "the right password";
  return { email, password, res: await req("/api/register", { json: { email, password }, ip }) };
}

beforeAll(async () => {
  await clearSignupCounters();
  dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-hardening-"));
  await chmod(dataDir, 0o755);
  server = await startServer({
    port: testPort(61),
    env: {
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: dataDir,
      DARKROOM_TEST_HOOKS: "true",
      TRUSTED_PROXY_HOPS: "1",
      SIGNUPS_PER_HOUR: String(SIGNUPS_PER_HOUR),
      SIGNUPS_PER_ADDRESS_PER_HOUR: String(SIGNUPS_PER_ADDRESS),
      PASSWORD_HASH_CONCURRENCY: "2",
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await clearSignupCounters().catch(() => {});
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await closeSql();
});

describe("logs never hold content", () => {
  it("logs a failed insert by SQLSTATE and constraint, never the prompt", async () => {
    const { email, password, res } = await register("192.0.2.1");
    expect(res.status).toBe(201);
    const token = (await req("/api/token", { json: { email, password }, ip: "192.0.2.1" })).json.data.access_token as string;
    const marker = `MARKER-7f3a-${randomUUID().slice(0, 8)}`;
    await sql().unsafe("alter table image_jobs add constraint test_marker check (position('MARKER-7f3a' in prompt) = 0) not valid");
    try {
      const answer = await req("/api/generate-image", { token, json: { prompt: `a lighthouse ${marker}` } });
      expect(answer.status).toBe(500);
      expect(answer.json.meta.message).toMatch(/^Internal error \(request [0-9a-f-]{36}\)$/);
      expect(answer.text).not.toContain("at ");
      expect(answer.text).not.toContain(marker);
    } finally {
      await sql().unsafe("alter table image_jobs drop constraint if exists test_marker");
    }
    await new Promise((r) => setTimeout(r, 200)); // the log line is written before the answer; let the pipe deliver it
    const lines = server.output().split("\n");
    expect(lines.filter((line) => line.includes("MARKER-7f3a"))).toEqual([]);
    const logged = lines.find((line) => line.includes('"unhandled_error"'));
    expect(logged).toContain("23514");
    expect(logged).toContain("test_marker");
  });

  it("a duplicate email is a 409, and no email reaches the log", async () => {
    const email = `dup-${randomUUID().slice(0, 8)}@example.com`;
    expect((await register("192.0.2.2", email)).res.status).toBe(201);
    const again = await register("192.0.2.3", email);
    expect(again.res.status).toBe(409);
    expect(again.res.json).toEqual(failure("An account with this email already exists"));
    await new Promise((r) => setTimeout(r, 200));
    expect(server.output()).not.toContain(email);
    expect(server.output()).not.toContain("@example.com");
  });
});

describe("sign-up is throttled, and hashing is capped", () => {
  it("limits sign-up attempts per address, counting failures too", async () => {
    await clearSignupCounters();
    const ip = "198.51.100.7";
    const email = `per-address-${randomUUID().slice(0, 8)}@example.com`;
    const statuses: number[] = [];
    // Duplicates fail (409) but still count: attempts are counted, not successes.
    for (let i = 0; i < SIGNUPS_PER_ADDRESS + 1; i++) statuses.push((await register(ip, email)).res.status);
    expect(statuses).toEqual([201, 409, 409, 409, 409, 429]);
    const blocked = await register(ip);
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.json).toEqual(failure("Too many sign-ups; try again later"));
    const retryAfter = Number(blocked.res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // Another address is not affected.
    expect((await register("198.51.100.8")).res.status).toBe(201);
  });

  it("a flood of sign-ups gets 201s then 429s, never a 5xx, while the app keeps answering", async () => {
    await clearSignupCounters();
    let flooding = true;
    const health: number[] = [];
    const probe = (async () => {
      while (flooding) {
        health.push((await fetch(`${server.url}/api/health/live`)).status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => register(`203.0.113.${i + 1}`)));
    flooding = false;
    await probe;
    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBe(SIGNUPS_PER_HOUR);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - SIGNUPS_PER_HOUR);
    for (const refused of results.filter((r) => r.res.status === 429)) {
      expect(refused.res.json).toEqual(failure("Too many sign-ups; try again later"));
      expect(Number(refused.res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // The health probe answered during the flood, and only with 200.
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((s) => s === 200)).toBe(true);
    const created = results.filter((r) => r.res.status === 201).map((r) => r.email);
    expect((await sql()`select count(*)::int as n from users where email in ${sql()(created)}`)[0]!.n).toBe(SIGNUPS_PER_HOUR);
  });
});

describe("the export streams", () => {
  it("holds the same entries as before: every image and a jobs.json of every job", async () => {
    const person = await createUser("export-stream");
    const done = [];
    for (let i = 0; i < 3; i++) done.push(await waitForStatus(person, (await generate(person, `export ${i}`)).job_id, ["completed"]));
    const res = await call("/api/account/export", { token: person.token });
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(res.bytes));
    expect(Object.keys(files).sort()).toEqual([...done.map((j) => `images/${j.job_id}.png`).sort(), "jobs.json"]);
    const text = new TextDecoder().decode(files["jobs.json"]);
    const manifest = JSON.parse(text);
    expect(manifest.jobs.map((j: { job_id: string }) => j.job_id).sort()).toEqual(done.map((j) => j.job_id).sort());
    // Written a job at a time, it is still exactly what JSON.stringify would write.
    expect(text).toBe(JSON.stringify(manifest, null, 2));

    const empty = await createUser("export-empty");
    const nothing = unzipSync(new Uint8Array((await call("/api/account/export", { token: empty.token })).bytes));
    expect(Object.keys(nothing)).toEqual(["jobs.json"]);
    expect(new TextDecoder().decode(nothing["jobs.json"])).toBe(JSON.stringify({ jobs: [] }, null, 2));
  });
});
