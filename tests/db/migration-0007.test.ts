// Migration 0007 on an installation that already has finished jobs: each
// job's one image becomes its image 0 in job_images, run as the tables' real
// owner (neither superuser nor BYPASSRLS, bound by FORCE like production), and
// FORCE is back on image_jobs afterwards. Uses a scratch database and owner role.
import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { createScratch, type Scratch } from "../support/scratch-db";

let scratch: Scratch | undefined;
afterAll(async () => {
  await scratch?.drop();
});

it("backfills every finished job's image into job_images as the non-superuser owner, and keeps image_jobs forced", async () => {
  scratch = await createScratch("m7");
  const { sql, suffix } = scratch;
  await scratch.migrate(6); // the schema before 0007
  const user = randomUUID();
  const [done, failed] = [randomUUID(), randomUUID()];
  await sql`insert into users (id, email, password_hash) values (${user}, ${`${suffix}@example.com`}, 'x')`;
  await sql`insert into image_jobs (id, user_id, status, prompt, style, quality, model, image_key, thumbnail_key, content_type, width, height, completed_at)
    values (${done}, ${user}, 'completed', 'old', 'realistic', 'standard', 'local/sketch', 'k/image.png', 'k/thumbnail.webp', 'image/png', 512, 512, now()),
           (${failed}, ${user}, 'failed', 'old', 'realistic', 'standard', 'local/sketch', null, null, null, null, null, null)`;

  await scratch.migrate();

  const images = await sql`select user_id, job_id, "index", image_key, thumbnail_key, content_type, width, height from job_images`;
  expect(images).toEqual([
    { user_id: user, job_id: done, index: 0, image_key: "k/image.png", thumbnail_key: "k/thumbnail.webp", content_type: "image/png", width: 512, height: 512 },
  ]);
  const [jobs] = await sql`select relforcerowsecurity as forced from pg_class where relname = 'image_jobs'`;
  expect(jobs!.forced).toBe(true);
  const [row] = await sql`select aspect_ratio, n, seed, negative_prompt, units from image_jobs where id = ${done}`;
  expect(row).toEqual({ aspect_ratio: "1:1", n: 1, seed: null, negative_prompt: null, units: 1 });
});
