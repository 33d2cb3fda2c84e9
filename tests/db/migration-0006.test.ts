// Migration 0006 on an installation that already has refresh tokens: each family
// gets its absolute end (its first token + 90 days), run as the tables' real
// owner (neither superuser nor BYPASSRLS, bound by FORCE like production), and
// FORCE is back on refresh_tokens afterwards. Uses a scratch database and owner role.
import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { createScratch, type Scratch } from "../support/scratch-db";

let scratch: Scratch | undefined;
afterAll(async () => {
  await scratch?.drop();
});

it("gives existing refresh-token families their absolute end as the non-superuser owner, and keeps refresh_tokens forced", async () => {
  scratch = await createScratch("m6");
  const { sql, suffix } = scratch;
  await scratch.migrate(5); // the schema before 0006
  const user = randomUUID();
  const family = randomUUID();
  await sql`insert into users (id, email, password_hash) values (${user}, ${`${suffix}@example.com`}, 'x')`;
  await sql`insert into refresh_tokens (user_id, token_hash, family_id, created_at, expires_at)
    values (${user}, ${`a-${suffix}`}, ${family}, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'),
           (${user}, ${`b-${suffix}`}, ${family}, '2026-11-20T00:00:00Z', '2026-12-20T00:00:00Z')`;

  await scratch.migrate();

  const rows = await sql`select family_expires_at from refresh_tokens where family_id = ${family}`;
  expect(rows.map((r) => r.family_expires_at.toISOString())).toEqual(["2027-01-30T00:00:00.000Z", "2027-01-30T00:00:00.000Z"]);
  const [tokens] = await sql`select relforcerowsecurity as forced from pg_class where relname = 'refresh_tokens'`;
  expect(tokens!.forced).toBe(true);
});
