// Readiness: the database answers, every committed migration is applied, and
// the job runner is up. Used by /api/health/ready (load balancers, the tests).
// Each configured GPU backend is reported ("ok" / "unreachable") but does not
// decide readiness: the app still serves everything else (other models, the
// gallery), and a job for a backend that is down retries, then fails clearly.
import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { asApp } from "@/db/client";
import { backendReadiness } from "./generation/backends";
import { getRunner } from "./generation/runners";

let expectedMigrations: number | undefined;

function committedMigrations(): number {
  expectedMigrations ??= (JSON.parse(readFileSync(path.resolve(process.cwd(), "db/migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] }).entries
    .length;
  return expectedMigrations;
}

export type Readiness = { ready: boolean; checks: { database: string; migrations: string; runner: string; backends?: Record<string, string> } };

export async function readiness(): Promise<Readiness> {
  // As darkroom_app, like every query of the running app (its login role alone reads nothing).
  const rows = await asApp((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  const applied = rows[0]?.n ?? 0;
  const migrations = applied >= committedMigrations() ? "ok" : `pending (${applied} of ${committedMigrations()} applied)`;
  const jobRunner = getRunner();
  const runner = jobRunner.isRunning() ? jobRunner.name : "not started";
  const backends = await backendReadiness();
  const checks = { database: "ok", migrations, runner, ...(Object.keys(backends).length > 0 ? { backends } : {}) };
  return { ready: migrations === "ok" && runner !== "not started", checks };
}
