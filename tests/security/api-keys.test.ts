// Personal API keys (issue 14): a key is shown once and stored only as a hash;
// it acts for its owner within its scopes and never on the account itself;
// another person's key is indistinguishable from a missing one; revoked,
// expired, malformed and forged keys are 401; sign out everywhere, disabling
// and deleting the account end every key; a key never reaches the log.
import { createHash, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { type Answer, call, createUser, failure, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, runtimeUrl, sql } from "../support/db";

type Key = { id: string; key: string; prefix: string; name: string; scopes: string[] };

async function createKey(owner: { token: string }, body: Record<string, unknown> = {}): Promise<Key> {
  const res = await call("/api/account/keys", { token: owner.token, json: { name: "integration", scopes: ["generate", "read"], ...body } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
  return res.json.data;
}

const KEY_SHAPE = /^dk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
const UNAUTHENTICATED = failure("Invalid or expired credentials");
const INSUFFICIENT = failure("Insufficient permission");
const NOT_FOR_KEYS = failure("Not available to API keys");
const fingerprint = (res: Answer) => ({ status: res.status, headers: [...res.headers.entries()].filter(([k]) => k !== "date"), body: res.text });

let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-keys"), createUser("bob-keys")]);
});
afterAll(closeSql);

describe("managing keys", () => {
  it("creates a key shown once, lists it without its secret, and revokes it", async () => {
    const res = await call("/api/account/keys", { token: ada.token, json: { name: "Open WebUI", scopes: ["read", "generate", "read"], expires_in_days: 30 } });
    expect(res.status).toBe(201);
    const created = res.json.data;
    expect(created.key).toMatch(KEY_SHAPE);
    expect(created.key.startsWith(`dk_${created.prefix}_`)).toBe(true);
    expect(Object.keys(created).sort()).toEqual(["created_at", "expires_at", "id", "key", "last_used_at", "name", "prefix", "scopes"]);
    expect(created).toMatchObject({ name: "Open WebUI", scopes: ["generate", "read"], last_used_at: null });
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const list = await call("/api/account/keys", { token: ada.token });
    expect(list.status).toBe(200);
    const listed = list.json.data.keys.find((k: { id: string }) => k.id === created.id);
    const { key, ...shown } = created;
    expect(listed).toEqual(shown);
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain(key.slice(16));

    const revoked = await call(`/api/account/keys/${created.id}`, { method: "DELETE", token: ada.token });
    expect(revoked.status).toBe(200);
    expect((await call("/api/account/keys", { token: ada.token })).json.data.keys.map((k: { id: string }) => k.id)).not.toContain(created.id);
    // Revoking twice: the same 404 as a key that never existed.
    const again = await call(`/api/account/keys/${created.id}`, { method: "DELETE", token: ada.token });
    const missing = await call(`/api/account/keys/${randomUUID()}`, { method: "DELETE", token: ada.token });
    expect(again.status).toBe(404);
    expect(fingerprint(again)).toEqual(fingerprint(missing));
    // Both are in the person's activity log, by name and prefix, never the key.
    const activity = await call("/api/account/activity?limit=100", { token: ada.token });
    const events = activity.json.data.events.filter((e: { detail: { prefix?: string } }) => e.detail.prefix === created.prefix);
    expect(events.map((e: { event: string; detail: { name: string } }) => [e.event, e.detail.name])).toEqual([
      ["api_key_revoked", "Open WebUI"],
      ["api_key_created", "Open WebUI"],
    ]);
    expect(activity.text).not.toContain(key.slice(16));
  });

  it.each([
    [{ scopes: ["admin"] }, "scopes"],
    [{ scopes: [] }, "scopes"],
    [{ scopes: "read" }, "scopes"],
    [{ name: "" }, "name"],
    [{ name: "x".repeat(101) }, "name"],
    [{ expires_in_days: 0 }, "expires_in_days"],
    [{ expires_in_days: 366 }, "expires_in_days"],
    [{ expires_in_days: 1.5 }, "expires_in_days"],
  ])("refuses %j with a 400 naming the field, and stores nothing", async (body, field) => {
    const [before] = await sql()`select count(*)::int as n from api_keys where user_id = ${ada.id}`;
    const res = await call("/api/account/keys", { token: ada.token, json: { name: "bad", scopes: ["read"], ...body } });
    expect(res.status).toBe(400);
    expect(res.json.meta.field).toMatch(new RegExp(`^${field}(\\.|$)`));
    const [after] = await sql()`select count(*)::int as n from api_keys where user_id = ${ada.id}`;
    expect(after!.n).toBe(before!.n);
  });

  it("stores only a SHA-256 of the key, never the key or its secret", async () => {
    const created = await createKey(ada);
    const [row] = await sql()`select * from api_keys where id = ${created.id}`;
    expect(row!.key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
    expect(row!.prefix).toBe(created.prefix);
    const secret = created.key.slice(`dk_${created.prefix}_`.length);
    for (const value of Object.values(row!)) {
      expect(String(value)).not.toContain(secret);
      expect(String(value)).not.toContain(created.key);
    }
  });

  it("leaves the lookup function to darkroom_app, and a key row to its owner", async () => {
    const created = await createKey(bob);
    const asRuntime = postgres(runtimeUrl(), { max: 1, onnotice: () => {} });
    try {
      await expect(asRuntime`select * from darkroom_api_key_lookup(${created.prefix})`).rejects.toThrow(/permission denied/);
      const [, asAda] = await asRuntime.begin((tx) => [
        tx`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${ada.id}, true)`,
        tx`select count(*)::int as n from api_keys where id = ${created.id}`,
      ]);
      expect(asAda![0]!.n).toBe(0);
      // The function returns what verification needs, nothing more.
      const [, found] = await asRuntime.begin((tx) => [
        tx`select set_config('role', 'darkroom_app', true)`,
        tx`select * from darkroom_api_key_lookup(${created.prefix})`,
      ]);
      expect(found).toEqual([{ id: created.id, user_id: bob.id, key_hash: createHash("sha256").update(created.key).digest("hex") }]);
    } finally {
      await asRuntime.end();
    }
  });
});

describe("a key acts for its owner, within its scopes", () => {
  it("authenticates as its owner and notes its last use at most once a minute", async () => {
    const created = await createKey(ada);
    const me = await call("/api/account", { token: created.key });
    expect(me.status).toBe(200);
    expect(me.json.data.user.id).toBe(ada.id);
    const job = await generate({ token: created.key });
    const jobs = await call("/api/jobs", { token: created.key });
    expect(jobs.json.data.jobs.map((j: { job_id: string }) => j.job_id)).toContain(job.job_id);
    const [first] = await sql()`select last_used_at from api_keys where id = ${created.id}`;
    expect(first!.last_used_at).not.toBeNull();
    await call("/api/jobs", { token: created.key });
    const [second] = await sql()`select last_used_at from api_keys where id = ${created.id}`;
    expect(second!.last_used_at).toEqual(first!.last_used_at);
    const listed = (await call("/api/account/keys", { token: ada.token })).json.data.keys.find((k: { id: string }) => k.id === created.id);
    expect(listed.last_used_at).toBe((first!.last_used_at as Date).toISOString());
  });

  it("refuses a read-only key every change to jobs with 403, and lets it read", async () => {
    const readOnly = await createKey(ada, { scopes: ["read"] });
    const done = await waitForStatus(ada, (await generate(ada)).job_id, ["completed"]);
    const [before] = await sql()`select count(*)::int as n from image_jobs where user_id = ${ada.id}`;
    const refused: [string, string, unknown?][] = [
      ["POST", "/api/generate-image", { prompt: "not allowed" }],
      ["POST", `/api/retry-job/${done.job_id}`],
      ["POST", `/api/jobs/${done.job_id}/vary`],
      ["DELETE", `/api/jobs/${done.job_id}`],
      // Decided before any lookup: someone else's or a missing job gets the same 403.
      ["DELETE", `/api/jobs/${randomUUID()}`],
    ];
    for (const [method, route, json] of refused) {
      const res = await call(route, { method, token: readOnly.key, json });
      expect(res.status, `${method} ${route}`).toBe(403);
      expect(res.json).toEqual(INSUFFICIENT);
    }
    const [after] = await sql()`select count(*)::int as n from image_jobs where user_id = ${ada.id}`;
    expect(after!.n).toBe(before!.n);
    for (const route of [
      "/api/jobs",
      `/api/jobs/${done.job_id}`,
      `/api/image-status/${done.job_id}`,
      `/api/images/${done.job_id}`,
      `/api/images/${done.job_id}/thumbnail`,
      "/api/models",
    ]) {
      expect((await call(route, { token: readOnly.key })).status, route).toBe(200);
    }
  });

  it("organises with a key by its scopes: a read-only key lists collections but cannot change them or star", async () => {
    const readOnly = await createKey(ada, { scopes: ["read"] });
    const full = await createKey(ada, { scopes: ["generate", "read"] });
    const done = await waitForStatus(ada, (await generate(ada)).job_id, ["completed"]);
    expect((await call("/api/collections", { token: readOnly.key })).status).toBe(200);
    for (const [method, route, json] of [
      ["POST", "/api/collections", { name: "not allowed" }],
      ["PUT", `/api/images/${done.job_id}/favourite`, undefined],
    ] as const) {
      const res = await call(route, { method, token: readOnly.key, json });
      expect(res.status, `${method} ${route}`).toBe(403);
      expect(res.json).toEqual(INSUFFICIENT);
    }
    const created = await call("/api/collections", { method: "POST", token: full.key, json: { name: "by key" } });
    expect(created.status).toBe(201);
    expect((await call(`/api/images/${done.job_id}/favourite`, { method: "PUT", token: full.key })).status).toBe(200);
  });

  it("refuses a generate-only key every read of jobs and images with 403, and lets it generate", async () => {
    const writeOnly = await createKey(ada, { scopes: ["generate"] });
    const done = await waitForStatus(ada, (await generate(ada)).job_id, ["completed"]);
    for (const route of [
      "/api/jobs",
      `/api/jobs/${done.job_id}`,
      `/api/image-status/${done.job_id}`,
      `/api/images/${done.job_id}`,
      `/api/images/${done.job_id}/thumbnail`,
    ]) {
      const res = await call(route, { token: writeOnly.key });
      expect(res.status, route).toBe(403);
      expect(res.json).toEqual(INSUFFICIENT);
    }
    expect((await call("/api/generate-image", { token: writeOnly.key, json: { prompt: "a generate-only key" } })).status).toBe(202);
    expect((await call(`/api/jobs/${done.job_id}/vary`, { method: "POST", token: writeOnly.key })).status).toBe(202);
    expect((await call(`/api/jobs/${done.job_id}`, { method: "DELETE", token: writeOnly.key })).status).toBe(200);
  });

  it("can never manage keys, sessions or the account, even with every scope", async () => {
    const full = await createKey(ada);
    const other = await createKey(ada);
    const before = await sql()`select id, revoked_at from api_keys where user_id = ${ada.id} order by id`;
    const refused: [string, string, unknown?][] = [
      ["GET", "/api/account/keys"],
      ["POST", "/api/account/keys", { name: "escalate", scopes: ["generate", "read"] }],
      ["DELETE", `/api/account/keys/${other.id}`],
      ["GET", "/api/account/sessions"],
      ["POST", "/api/account/sessions/revoke"],
      ["DELETE", `/api/account/sessions/${randomUUID()}`],
      ["DELETE", "/api/account", { password: ada.password }],
      ["GET", "/api/account/export"],
      ["GET", "/api/account/activity"],
      ["GET", "/api/admin/users"],
    ];
    for (const [method, route, json] of refused) {
      const res = await call(route, { method, token: full.key, json });
      expect(res.status, `${method} ${route}`).toBe(403);
      expect(res.json).toEqual(NOT_FOR_KEYS);
    }
    expect(await sql()`select id, revoked_at from api_keys where user_id = ${ada.id} order by id`).toEqual(before);
    expect((await call("/api/account", { token: ada.token })).status).toBe(200);
  });

  it("gives an administrator's key no administrator route", async () => {
    const admin = await createUser("admin-keys");
    await sql()`update users set role = 'admin' where id = ${admin.id}`;
    const key = await createKey(admin);
    expect((await call("/api/admin/users", { token: key.key })).status).toBe(403);
    expect((await call(`/api/admin/users/${bob.id}/disable`, { method: "POST", token: key.key })).status).toBe(403);
    expect((await call("/api/admin/users", { token: admin.token })).status).toBe(200);
  });
});

describe("not yours = does not exist", () => {
  it("answers DELETE of another person's key exactly like a missing or malformed one, and leaves it working", async () => {
    const bobs = await createKey(bob);
    for (const auth of [{ token: ada.token }, { cookie: await sessionCookie(ada) }]) {
      const theirs = await call(`/api/account/keys/${bobs.id}`, { method: "DELETE", ...auth });
      const missing = await call(`/api/account/keys/${randomUUID()}`, { method: "DELETE", ...auth });
      const malformed = await call("/api/account/keys/not-a-key-id", { method: "DELETE", ...auth });
      expect(theirs.status).toBe(404);
      expect(theirs.json).toEqual(failure("API key not found"));
      expect(fingerprint(theirs)).toEqual(fingerprint(missing));
      expect(fingerprint(theirs)).toEqual(fingerprint(malformed));
    }
    expect((await call("/api/account", { token: bobs.key })).json.data.user.id).toBe(bob.id);
    expect((await call("/api/account/keys", { token: ada.token })).text).not.toContain(bobs.prefix);
  });

  it("never shows one person's jobs to another person's key", async () => {
    const bobJob = await generate(bob);
    const adaKey = await createKey(ada);
    expect((await call(`/api/image-status/${bobJob.job_id}`, { token: adaKey.key })).status).toBe(404);
    expect((await call("/api/jobs?limit=100", { token: adaKey.key })).text).not.toContain(bobJob.job_id);
  });
});

describe("keys that do not work", () => {
  it("answers revoked, expired, malformed and forged keys with 401", async () => {
    const revoked = await createKey(ada);
    await call(`/api/account/keys/${revoked.id}`, { method: "DELETE", token: ada.token });
    const expired = await createKey(ada, { expires_in_days: 1 });
    await sql()`update api_keys set expires_at = now() - interval '1 second' where id = ${expired.id}`;
    const live = await createKey(ada);
    const secret = live.key.slice(16);
    const otherPrefix = live.prefix === "0".repeat(12) ? "1".repeat(12) : "0".repeat(12);
    const flipped = `${live.key.slice(0, -1)}${live.key.endsWith("A") ? "B" : "A"}`;
    const bad: Record<string, string> = {
      revoked: revoked.key,
      expired: expired.key,
      "wrong secret": flipped,
      "forged prefix": `dk_${otherPrefix}_${secret}`,
      "another key's prefix": `dk_${revoked.prefix}_${secret}`,
      malformed: "dk_not-a-key",
      "too short": live.key.slice(0, -2),
    };
    // Only when the prefix has a letter to change.
    if (/[a-f]/.test(live.prefix)) bad["upper-case prefix"] = `dk_${live.prefix.toUpperCase()}_${secret}`;
    for (const [label, key] of Object.entries(bad)) {
      for (const route of ["/api/jobs", "/api/account"]) {
        const res = await call(route, { token: key });
        expect(res.status, label).toBe(401);
        expect(res.json, label).toEqual(UNAUTHENTICATED);
      }
    }
    // An expired key is listed with its expiry until revoked; the live one still works.
    expect((await call("/api/account/keys", { token: ada.token })).json.data.keys.map((k: { id: string }) => k.id)).toContain(expired.id);
    expect((await call("/api/jobs", { token: live.key })).status).toBe(200);
  });

  it("ends every key when the person signs out everywhere", async () => {
    const user = await createUser("keys-everywhere");
    const [one, two] = [await createKey(user), await createKey(user, { scopes: ["read"] })];
    expect((await call("/api/jobs", { token: one.key })).status).toBe(200);
    expect((await call("/api/account/sessions/revoke", { method: "POST", token: user.token })).status).toBe(200);
    for (const key of [one, two]) expect((await call("/api/jobs", { token: key.key })).status).toBe(401);
    const [row] = await sql()`select count(*)::int as live from api_keys where user_id = ${user.id} and revoked_at is null`;
    expect(row!.live).toBe(0);
    // A key made after signing in again works.
    const fresh = await call("/api/token", { json: { email: user.email, password: user.password } });
    const next = await createKey({ token: fresh.json.data.access_token });
    expect((await call("/api/jobs", { token: next.key })).status).toBe(200);
  });

  it("ends every key when an administrator disables the account", async () => {
    const user = await createUser("keys-disabled");
    const admin = await createUser("keys-admin");
    await sql()`update users set role = 'admin' where id = ${admin.id}`;
    const key = await createKey(user);
    expect((await call(`/api/admin/users/${user.id}/disable`, { method: "POST", token: admin.token })).status).toBe(200);
    expect((await call("/api/jobs", { token: key.key })).json).toEqual(UNAUTHENTICATED);
    // Even if its row were left live, the disabled account refuses it.
    await sql()`update api_keys set revoked_at = null where id = ${key.id}`;
    expect((await call("/api/jobs", { token: key.key })).status).toBe(401);
  });

  it("ends every key, and removes its rows, when the account is deleted", async () => {
    const user = await createUser("keys-deleted");
    const key = await createKey(user);
    expect((await call("/api/account", { method: "DELETE", token: user.token, json: { password: user.password } })).status).toBe(200);
    expect((await call("/api/jobs", { token: key.key })).status).toBe(401);
    const [row] = await sql()`select count(*)::int as n from api_keys where user_id = ${user.id}`;
    expect(row!.n).toBe(0);
  });
});

describe("a key never reaches the log", () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-keys-"));
    await chmod(dataDir, 0o755);
    server = await startServer({
      port: testPort(64),
      env: { DATABASE_URL: inject("databaseUrl"), DATA_DIR: dataDir, DARKROOM_TEST_HOOKS: "true", LOG_LEVEL: "debug" },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("logs requests made with keys, created, used, refused and revoked, without the key or its secret", async () => {
    const at = (route: string, init: { method?: string; token: string; json?: unknown }) =>
      fetch(`${server.url}${route}`, {
        method: init.method ?? (init.json ? "POST" : "GET"),
        headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json" },
        body: init.json ? JSON.stringify(init.json) : undefined,
      }).then(async (res) => ({ status: res.status, json: await res.json() }));
    // This server signs its own access tokens: sign in on it.
    const signIn = await fetch(`${server.url}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ada.email, password: ada.password }),
    });
    const token: string = (await signIn.json()).data.access_token;
    const created = await at("/api/account/keys", { token, json: { name: "log check", scopes: ["read"] } });
    expect(created.status).toBe(201);
    const key: string = created.json.data.key;
    expect((await at("/api/jobs", { token: key })).status).toBe(200);
    expect((await at("/api/generate-image", { token: key, json: { prompt: "refused" } })).status).toBe(403);
    expect((await at("/api/jobs", { token: `${key.slice(0, -1)}x` })).status).toBe(401);
    expect((await at(`/api/account/keys/${created.json.data.id}`, { method: "DELETE", token })).status).toBe(200);
    expect((await at("/api/jobs", { token: key })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200)); // let the pipe deliver the last lines
    const output = server.output();
    expect(output).toContain('"/api/account/keys"');
    expect(output).not.toContain(key);
    expect(output).not.toContain(key.slice(16));
    expect(output).not.toContain(created.json.data.prefix);
  });
});
