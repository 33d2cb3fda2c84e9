// Migration 0006 on an installation that already has refresh tokens: each family
// gets its absolute end (its first token + 90 days), run as the tables' real
// owner (neither superuser nor BYPASSRLS, bound by FORCE like production), and
// FORCE is back on refresh_tokens afterwards. Uses a scratch database and owner role.
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, expect, inject, it } from "vitest";
import { runMigrations } from "../../db/migrate";

const suffix = randomUUID().replaceAll("-", "").slice(0, 10);
const database = `m6_${suffix}`;
const owner = `m6_owner_${suffix}`;
const password = `pw-${suffix}`;
const migrations = path.resolve(import.meta.dirname, "../../db/migrations");

const urlFor = (db: string, user?: string) => {
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${db}`;
  if (user) {
    url.username = user;
    url.password = password;
  }
  return url.toString();
};

const admin = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
let scratch: postgres.Sql | undefined;
const folder = mkdtempSync(path.join(tmpdir(), "darkroom-m6-"));

afterAll(async () => {
  await scratch?.end({ timeout: 5 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.unsafe(`DROP ROLE IF EXISTS ${owner}`);
  await admin.end({ timeout: 5 });
  rmSync(folder, { recursive: true, force: true });
});

it("gives existing refresh-token families their absolute end as the non-superuser owner, and keeps refresh_tokens forced", async () => {
  // The owner as db/roles.ts makes it for the embedded database.
  await admin.unsafe(`CREATE ROLE ${owner} WITH LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE NOCREATEDB PASSWORD '${password}'`);
  for (const role of ["darkroom_app", "darkroom_worker", "darkroom_admin"]) await admin.unsafe(`GRANT ${role} TO ${owner} WITH ADMIN OPTION`);
  await admin.unsafe(`CREATE DATABASE ${database}`);
  await admin.unsafe(`GRANT CREATE ON DATABASE ${database} TO ${owner}`);
  scratch = postgres(urlFor(database), { max: 1, onnotice: () => {} });
  await scratch.unsafe(`GRANT CREATE, USAGE ON SCHEMA public TO ${owner}`);

  // The schema as it was before 0006: the same migrations, journal cut at 0005.
  cpSync(migrations, folder, { recursive: true });
  const journalPath = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 5);
  writeFileSync(journalPath, JSON.stringify(journal));
  await runMigrations(urlFor(database, owner), folder);

  const user = randomUUID();
  const family = randomUUID();
  await scratch`insert into users (id, email, password_hash) values (${user}, ${`${suffix}@example.com`}, 'x')`;
  await scratch`insert into refresh_tokens (user_id, token_hash, family_id, created_at, expires_at)
    values (${user}, ${`a-${suffix}`}, ${family}, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'),
           (${user}, ${`b-${suffix}`}, ${family}, '2026-11-20T00:00:00Z', '2026-12-20T00:00:00Z')`;

  await runMigrations(urlFor(database, owner), migrations);

  const rows = await scratch`select family_expires_at from refresh_tokens where family_id = ${family}`;
  expect(rows.map((r) => r.family_expires_at.toISOString())).toEqual(["2027-01-30T00:00:00.000Z", "2027-01-30T00:00:00.000Z"]);
  const [tokens] = await scratch`select relforcerowsecurity as forced from pg_class where relname = 'refresh_tokens'`;
  expect(tokens!.forced).toBe(true);
});
