// Browser sessions (the account page's "sign out" per browser): a person's rows
// in sessions. A fixture session is a real sign-in through Auth.js.
import { sessionCookie } from "../../support/api";
import { sql } from "../../support/db";
import type { ResourceFixture } from "./types";

export const session: ResourceFixture = {
  states: ["live"],
  async create(person) {
    await sessionCookie(person);
    const [row] = await sql()`select id from sessions where user_id = ${person.id} order by created_at desc limit 1`;
    return row!.id as string;
  },
  async snapshot(person) {
    return sql()`select id, revoked_at, expires_at from sessions where user_id = ${person.id} order by id`;
  },
};
