// A scratch database and a non-superuser owner role (as db/roles.ts makes it for
// the embedded database: neither superuser nor BYPASSRLS, so bound by FORCE like
// production), for testing migrations on an installation that already has data.
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { inject } from "vitest";
import { runMigrations } from "../../db/migrate";

const migrations = path.resolve(import.meta.dirname, "../../db/migrations");

export type Scratch = {
  suffix: string;
  // The superuser on the scratch database, to seed and inspect.
  sql: postgres.Sql;
  ownerUrl: string;
  // Applies the committed migrations up to and including journal index `lastIdx` (all when omitted), as the owner.
  migrate(lastIdx?: number): Promise<void>;
  drop(): Promise<void>;
};

export async function createScratch(label: string): Promise<Scratch> {
  const suffix = randomUUID().replaceAll("-", "").slice(0, 10);
  const database = `${label}_${suffix}`;
  const owner = `${label}_owner_${suffix}`;
  const password = `pw-${suffix}`;
  const urlFor = (user?: string) => {
    const url = new URL(inject("databaseUrl"));
    url.pathname = `/${database}`;
    if (user) {
      url.username = user;
      url.password = password;
    }
    return url.toString();
  };
  const admin = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE ROLE ${owner} WITH LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE NOCREATEDB PASSWORD '${password}'`);
  for (const role of ["darkroom_app", "darkroom_worker", "darkroom_admin"]) await admin.unsafe(`GRANT ${role} TO ${owner} WITH ADMIN OPTION`);
  await admin.unsafe(`CREATE DATABASE ${database}`);
  await admin.unsafe(`GRANT CREATE ON DATABASE ${database} TO ${owner}`);
  const sql = postgres(urlFor(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`GRANT CREATE, USAGE ON SCHEMA public TO ${owner}`);
  const folder = mkdtempSync(path.join(tmpdir(), `darkroom-${label}-`));
  return {
    suffix,
    sql,
    ownerUrl: urlFor(owner),
    async migrate(lastIdx) {
      if (lastIdx === undefined) return runMigrations(urlFor(owner), migrations);
      // The schema as it was then: the same migrations, the journal cut after `lastIdx`.
      cpSync(migrations, folder, { recursive: true });
      const journalPath = path.join(folder, "meta/_journal.json");
      const journal = JSON.parse(readFileSync(journalPath, "utf8"));
      journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= lastIdx);
      writeFileSync(journalPath, JSON.stringify(journal));
      await runMigrations(urlFor(owner), folder);
    },
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.unsafe(`DROP ROLE IF EXISTS ${owner}`);
      await admin.end({ timeout: 5 });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
