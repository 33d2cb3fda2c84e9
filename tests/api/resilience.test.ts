// Start-up and failure behaviour of whole server processes: the embedded
// defaults (start, stop, start again on the same data), resuming jobs left
// behind by a crash, and answering 503 while the database is down.

import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "../../db/embedded";
import { isAlive } from "../../db/processes";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { adminCli } from "../support/admin";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), "darkroom-resilience-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as `postgres`, who must reach the folder
  return dir;
}

async function post(server: RunningServer, route: string, body: unknown, token?: string) {
  const res = await fetch(`${server.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

async function get(server: RunningServer, route: string, token: string) {
  const res = await fetch(`${server.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as any };
}

const postmasterPid = (dataDir: string) => Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);

describe("the embedded defaults", () => {
  it("start with nothing configured, stop the database on SIGTERM, and reuse the data on the next start", async () => {
    const dataDir = await tempDir();
    const env = { DATABASE_URL: "", DATA_DIR: dataDir, AUTH_SECRET: "", API_TOKEN_SECRET: "" };
    const first = await startServer({ port: testPort(31), env });
    cleanups.push(first.stop);
    expect((await post(first, "/api/register", { email: "keep@example.com", password: "persisted!" })).status).toBe(201);
    const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8"));
    expect(Object.keys(secrets).sort()).toEqual(["apiTokenSecret", "authSecret", "databasePassword"]);
    const pid = postmasterPid(dataDir);
    expect(isAlive(pid)).toBe(true);
    await first.stop();
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);

    // The admin CLI reaches a stopped embedded database (it starts it for the change)...
    expect((await adminCli("grant", "keep@example.com", { DATABASE_URL: "", DATA_DIR: dataDir })).code).toBe(0);
    const second = await startServer({ port: testPort(31), env });
    cleanups.push(second.stop);
    const token = await post(second, "/api/token", { email: "keep@example.com", password: "persisted!" });
    expect(token.status).toBe(200);
    expect((await get(second, "/api/admin/users", token.json.data.access_token)).status).toBe(200);
    // ...and the running one, which serves as an unprivileged role of its own.
    // Its own connections go through the cluster's Unix socket (its mode: tests/db/socket-url.test.ts).
    expect(second.output()).toContain('"event":"database_role","role":"darkroom_runtime","via":"unix socket"');
    expect((await adminCli("revoke", "keep@example.com", { DATABASE_URL: "", DATA_DIR: dataDir })).code).toBe(0);
    expect((await get(second, "/api/admin/users", token.json.data.access_token)).status).toBe(403);
  });

  it("refuses to start in production without real secrets, naming the variable", async () => {
    const dataDir = await tempDir();
    await expect(
      startServer({ port: testPort(32), env: { DARKROOM_ENV: "production", DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "" } }),
    ).rejects.toThrow(/AUTH_SECRET: required when DARKROOM_ENV=production/);
    await expect(startServer({ port: testPort(32), env: { DATA_DIR: dataDir, JOB_RUNNER: "celery" } })).rejects.toThrow(/JOB_RUNNER/);
  });
});

describe("with a database it does not own", () => {
  it("resumes jobs left queued or processing by a crash, and answers 503 while the database is down", async () => {
    const dataDir = await tempDir();
    const port = 3000 + Math.floor(Math.random() * 1000) + 40000;
    let database = await startEmbeddedDatabase({ dataDir, password: "resilience", port });
    cleanups.push(() => database.stop());
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, JOB_RETRY_BASE_MS: "20" };
    let server = await startServer({ port: testPort(33), env });
    cleanups.push(() => server.stop());

    await post(server, "/api/register", { email: "crash@example.com", password: "crash test" });
    const { json } = await post(server, "/api/token", { email: "crash@example.com", password: "crash test" });
    const token = json.data.access_token as string;
    await server.stop();

    // What a crash leaves behind: one job never started, one half-done.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());
    const [user] = await sql`select id from users where email = 'crash@example.com'`;
    const stranded = await sql`insert into image_jobs (user_id, prompt, style, quality, model, status) values
      (${user!.id}, 'left queued', 'sketch', 'standard', 'local/sketch', 'queued'),
      (${user!.id}, 'left processing', 'anime', 'standard', 'local/sketch', 'processing') returning id`;
    await sql.end();

    server = await startServer({ port: testPort(33), env });
    for (const { id } of stranded) {
      let status = "";
      for (let i = 0; i < 100 && status !== "completed"; i++) {
        status = (await get(server, `/api/image-status/${id}`, token)).json.data.status;
        if (status !== "completed") await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe("completed");
    }

    // Database outage: answers become 503 in the envelope, then recover on their own.
    await database.stop();
    const down = await get(server, "/api/jobs", token);
    expect(down.status).toBe(503);
    expect(down.json).toEqual({ meta: { code: 0, message: "Service temporarily unavailable, please retry shortly" }, data: null });
    database = await startEmbeddedDatabase({ dataDir, password: "resilience", port });
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await get(server, "/api/jobs", token)).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(200);
    expect(existsSync(path.join(dataDir, "files", "users", user!.id))).toBe(true);
  });
});
