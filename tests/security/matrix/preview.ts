// Previews of jobs being rendered: a processing job of the person with a
// preview file in its own folder, as lib/generation/progress.ts leaves it
// mid-render (written straight to the database and the files: the shared
// server's renderer finishes too fast to catch one). The shared server's
// sweep never runs during a test run, so the job stays processing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { inject } from "vitest";
import type { TestUser } from "../../support/api";
import { sql } from "../../support/db";
import { labelOf, type ResourceFixture } from "./types";

const fileOf = (key: string) => path.join(inject("dataDir"), "files", key);

export const preview: ResourceFixture = {
  states: ["rendering"],
  async create(person) {
    const [row] = await sql()`insert into image_jobs (user_id, prompt, style, quality, model, status, started_at, progress_step, progress_steps)
      values (${person.id}, ${`${labelOf(person)} rendering`}, 'realistic', 'standard', 'local/sketch', 'processing', now(), 2, 4) returning id`;
    const key = `users/${person.id}/jobs/${row!.id}/preview.webp`;
    mkdirSync(path.dirname(fileOf(key)), { recursive: true });
    writeFileSync(
      fileOf(key),
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#446688" } })
        .webp()
        .toBuffer(),
    );
    await sql()`update image_jobs set preview_key = ${key} where id = ${row!.id}`;
    return row!.id as string;
  },
  async snapshot(person: TestUser) {
    const rows =
      await sql()`select id, status, progress_step, preview_key, updated_at from image_jobs where user_id = ${person.id} and preview_key is not null order by id`;
    const files = rows.map((r) => (existsSync(fileOf(r.preview_key)) ? readFileSync(fileOf(r.preview_key)).toString("base64") : null));
    return { rows, files };
  },
};
