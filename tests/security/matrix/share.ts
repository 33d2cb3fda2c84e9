// Share links: a person's rows in shares (the link's token is never stored, so
// the fixture's object id is the share's id, as DELETE /api/shares/[id] takes).
import { call, type TestUser } from "../../support/api";
import { sql } from "../../support/db";
import { image } from "./image";
import type { ResourceFixture } from "./types";

export const share: ResourceFixture = {
  states: ["image"],
  async create(person) {
    const imageId = await image.create(person, "image");
    const res = await call("/api/shares", { token: person.token, json: { image_id: imageId } });
    if (res.status !== 201) throw new Error(`could not share: ${res.status} ${res.text}`);
    return res.json.data.share_id;
  },
  async snapshot(person: TestUser) {
    return { shares: await sql()`select id, token_hash, image_id, collection_id, view_count, expires_at from shares where user_id = ${person.id} order by id` };
  },
};
