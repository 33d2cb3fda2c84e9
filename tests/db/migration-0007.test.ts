// Migration 0007 on an installation that already has finished jobs: each
// job's one image becomes its image 0 in job_images, run as the tables' real
// owner (neither superuser nor BYPASSRLS, bound by FORCE like production), and
// FORCE is back on image_jobs afterwards. Uses a scratch database and owner role.
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, expect, inject, it } from "vitest";
import { runMigrations } from "../../db/migrate";

const suffix = randomUUID().replaceAll("-", "").slice(0, 10);
const database = `m7_${suffix}`;
const owner = `m7_owner_${suffix}`;
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
const folder = mkdtempSync(path.join(tmpdir(), "darkroom-m7-"));

afterAll(async () => {
  await scratch?.end({ timeout: 5 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.unsafe(`DROP ROLE IF EXISTS ${owner}`);
  await admin.end({ timeout: 5 });
  rmSync(folder, { recursive: true, force: true });
});

it("backfills every finished job's image into job_images as the non-superuser owner, and keeps image_jobs forced", async () => {
  // The owner as db/roles.ts makes it for the embedded database.
  await admin.unsafe(`CREATE ROLE ${owner} WITH LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE NOCREATEDB PASSWORD '${password}'`);
  for (const role of ["darkroom_app", "darkroom_worker", "darkroom_admin"]) await admin.unsafe(`GRANT ${role} TO ${owner} WITH ADMIN OPTION`);
  await admin.unsafe(`CREATE DATABASE ${database}`);
  await admin.unsafe(`GRANT CREATE ON DATABASE ${database} TO ${owner}`);
  scratch = postgres(urlFor(database), { max: 1, onnotice: () => {} });
  await scratch.unsafe(`GRANT CREATE, USAGE ON SCHEMA public TO ${owner}`);

  // The schema as it was before 0007: the same migrations, journal cut at 0006.
  cpSync(migrations, folder, { recursive: true });
  const journalPath = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 6);
  writeFileSync(journalPath, JSON.stringify(journal));
  await runMigrations(urlFor(database, owner), folder);

  const user = randomUUID();
  const [done, failed] = [randomUUID(), randomUUID()];
  await scratch`insert into users (id, email, password_hash) values (${user}, ${`${suffix}@example.com`}, 'x')`;
  await scratch`insert into image_jobs (id, user_id, status, prompt, style, quality, model, image_key, thumbnail_key, content_type, width, height, completed_at)
    values (${done}, ${user}, 'completed', 'old', 'realistic', 'standard', 'local/sketch', 'k/image.png', 'k/thumbnail.webp', 'image/png', 512, 512, now()),
           (${failed}, ${user}, 'failed', 'old', 'realistic', 'standard', 'local/sketch', null, null, null, null, null, null)`;

  await runMigrations(urlFor(database, owner), migrations);

  const images = await scratch`select user_id, job_id, "index", image_key, thumbnail_key, content_type, width, height from job_images`;
  expect(images).toEqual([
    { user_id: user, job_id: done, index: 0, image_key: "k/image.png", thumbnail_key: "k/thumbnail.webp", content_type: "image/png", width: 512, height: 512 },
  ]);
  const [jobs] = await scratch`select relforcerowsecurity as forced from pg_class where relname = 'image_jobs'`;
  expect(jobs!.forced).toBe(true);
  const [row] = await scratch`select aspect_ratio, n, seed, negative_prompt, units from image_jobs where id = ${done}`;
  expect(row).toEqual({ aspect_ratio: "1:1", n: 1, seed: null, negative_prompt: null, units: 1 });
});
