// Image jobs: a person's rows in image_jobs and their files under users/<id>/jobs/.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { generate, type TestUser, waitForStatus } from "../../support/api";
import { sql } from "../../support/db";
import { labelOf, type ResourceFixture } from "./types";

export const job: ResourceFixture = {
  states: ["completed", "failed"],
  async create(person, state) {
    // The local model fails a prompt containing [[fail]].
    const prompt = state === "failed" ? `${labelOf(person)} failed [[fail]]` : `${labelOf(person)} done`;
    const created = await generate(person, prompt);
    return (await waitForStatus(person, created.job_id, [state])).job_id;
  },
  async snapshot(person: TestUser) {
    const rows = await sql()`select id, status, attempts, error, prompt, image_key, updated_at from image_jobs where user_id = ${person.id} order by id`;
    const dir = path.join(inject("dataDir"), "files", "users", person.id, "jobs");
    const files = existsSync(dir) ? readdirSync(dir).flatMap((id) => readdirSync(path.join(dir, id)).map((f) => `${id}/${f}`)) : [];
    return { rows, files: files.sort() };
  },
};
