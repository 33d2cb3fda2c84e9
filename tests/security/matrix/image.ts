// Images of jobs: a person's rows in job_images and their files. The image
// routes take an image's own id or, as before jobs had several images, a job's
// id meaning its first image; the fixture makes one object of each kind.
import { generate, type TestUser, waitForStatus } from "../../support/api";
import { sql } from "../../support/db";
import { labelOf, type ResourceFixture } from "./types";

export const image: ResourceFixture = {
  states: ["image", "job"],
  async create(person, state) {
    const created = await generate(person, `${labelOf(person)} pictures`, { n: "2" });
    const done = await waitForStatus(person, created.job_id, ["completed"]);
    // "image": the second image's own id (not reachable through the job's id); "job": the job's id.
    return state === "image" ? done.images[1].image_id : done.job_id;
  },
  async snapshot(person: TestUser) {
    return {
      images: await sql()`select id, job_id, "index", image_key, thumbnail_key, width, height from job_images where user_id = ${person.id} order by id`,
      favourites: await sql()`select image_id, created_at from favourites where user_id = ${person.id} order by image_id`,
    };
  },
};
