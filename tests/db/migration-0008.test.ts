// Migration 0008 (personal API keys) as the tables' real owner — neither
// superuser nor BYPASSRLS, bound by FORCE like production — on a scratch
// database: the key lookup function, which runs as that owner, still finds a
// live key by its prefix for darkroom_app, and darkroom_app itself sees no key.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, expect, it } from "vitest";
import { createScratch, type Scratch } from "../support/scratch-db";

let scratch: Scratch | undefined;
let asOwner: postgres.Sql | undefined;
afterAll(async () => {
  await asOwner?.end({ timeout: 5 });
  await scratch?.drop();
});

it("lets the lookup function, run as the non-superuser owner, find live keys for darkroom_app only", async () => {
  scratch = await createScratch("m8");
  const { sql, suffix } = scratch;
  await scratch.migrate();
  const user = randomUUID();
  await sql`insert into users (id, email, password_hash) values (${user}, ${`${suffix}@example.com`}, 'x')`;
  await sql`insert into api_keys (user_id, name, prefix, key_hash, scopes) values
    (${user}, 'live', 'aaaaaaaaaaaa', 'hash-live', '{read}'),
    (${user}, 'revoked', 'bbbbbbbbbbbb', 'hash-revoked', '{read}'),
    (${user}, 'expired', 'cccccccccccc', 'hash-expired', '{read}')`;
  await sql`update api_keys set revoked_at = now() where prefix = 'bbbbbbbbbbbb'`;
  await sql`update api_keys set expires_at = now() - interval '1 minute' where prefix = 'cccccccccccc'`;
  const [forced] = await sql`select relforcerowsecurity as forced from pg_class where relname = 'api_keys'`;
  expect(forced!.forced).toBe(true);

  asOwner = postgres(scratch.ownerUrl, { max: 1, onnotice: () => {} });
  const lookup = (prefix: string) =>
    asOwner!.begin(async (tx) => {
      await tx`set local role darkroom_app`;
      return tx`select user_id, key_hash from darkroom_api_key_lookup(${prefix})`;
    });
  expect(await lookup("aaaaaaaaaaaa")).toEqual([{ user_id: user, key_hash: "hash-live" }]);
  expect(await lookup("bbbbbbbbbbbb")).toEqual([]);
  expect(await lookup("cccccccccccc")).toEqual([]);
  // darkroom_app with nobody set reads no key directly, and no other role may run the lookup.
  const direct = await asOwner.begin(async (tx) => {
    await tx`set local role darkroom_app`;
    return tx`select count(*)::int as n from api_keys`;
  });
  expect(direct[0]!.n).toBe(0);
  await expect(
    asOwner.begin(async (tx) => {
      await tx`set local role darkroom_worker`;
      await tx`select * from darkroom_api_key_lookup('aaaaaaaaaaaa')`;
    }),
  ).rejects.toThrow(/permission denied/);
});
