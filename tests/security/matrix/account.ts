// Accounts (the admin routes' [id]): the object is the person themself; its
// state is their row's sign-out instant and disabled flag.
import { sql } from "../../support/db";
import type { ResourceFixture } from "./types";

export const account: ResourceFixture = {
  states: ["active"],
  async create(person) {
    return person.id;
  },
  async snapshot(person) {
    const [user] = await sql()`select tokens_valid_after, disabled_at from users where id = ${person.id}`;
    return { user };
  },
};
