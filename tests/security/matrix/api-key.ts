// Personal API keys (DELETE /api/account/keys/[id]): a person's rows in api_keys.
// A fixture key is made through the API itself, as its owner would.
import { call } from "../../support/api";
import { sql } from "../../support/db";
import type { ResourceFixture } from "./types";

export const api_key: ResourceFixture = {
  states: ["live"],
  async create(person) {
    const res = await call("/api/account/keys", { token: person.token, json: { name: "matrix key", scopes: ["generate", "read"] } });
    if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
    return res.json.data.id as string;
  },
  async snapshot(person) {
    return sql()`select id, name, prefix, key_hash, scopes, last_used_at, expires_at, revoked_at from api_keys where user_id = ${person.id} order by id`;
  },
};
