// Migration 0008 (personal API keys) as the tables' real owner — neither
// superuser nor BYPASSRLS, bound by FORCE like production — on a scratch
// database: the key lookup function, which runs as that owner, still finds a
// live key by its prefix for darkroom_app, and darkroom_app itself sees no key.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, expect, inject, it } from "vitest";
import { runMigrations } from "../../db/migrate";

const suffix = randomUUID().replaceAll("-", "").slice(0, 10);
const database = `m8_${suffix}`;
const owner = `m8_owner_${suffix}`;
const password = `pw-${suffix}`;

const urlFor = (db: string, user?: string) => {
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${db}`;
  if (user) {
    url.username = user;
    url.password = password;
  }
  return url.toString();
};

const admin = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
let scratch: postgres.Sql | undefined;
let asOwner: postgres.Sql | undefined;

afterAll(async () => {
  await scratch?.end({ timeout: 5 });
  await asOwner?.end({ timeout: 5 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.unsafe(`DROP ROLE IF EXISTS ${owner}`);
  await admin.end({ timeout: 5 });
});

it("lets the lookup function, run as the non-superuser owner, find live keys for darkroom_app only", async () => {
  // The owner as db/roles.ts makes it for the embedded database.
  await admin.unsafe(`CREATE ROLE ${owner} WITH LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE NOCREATEDB PASSWORD '${password}'`);
  for (const role of ["darkroom_app", "darkroom_worker", "darkroom_admin"]) await admin.unsafe(`GRANT ${role} TO ${owner} WITH ADMIN OPTION`);
  await admin.unsafe(`CREATE DATABASE ${database}`);
  await admin.unsafe(`GRANT CREATE ON DATABASE ${database} TO ${owner}`);
  scratch = postgres(urlFor(database), { max: 1, onnotice: () => {} });
  await scratch.unsafe(`GRANT CREATE, USAGE ON SCHEMA public TO ${owner}`);
  await runMigrations(urlFor(database, owner));

  const user = randomUUID();
  await scratch`insert into users (id, email, password_hash) values (${user}, ${`${suffix}@example.com`}, 'x')`;
  await scratch`insert into api_keys (user_id, name, prefix, key_hash, scopes) values
    (${user}, 'live', 'aaaaaaaaaaaa', 'hash-live', '{read}'),
    (${user}, 'revoked', 'bbbbbbbbbbbb', 'hash-revoked', '{read}'),
    (${user}, 'expired', 'cccccccccccc', 'hash-expired', '{read}')`;
  await scratch`update api_keys set revoked_at = now() where prefix = 'bbbbbbbbbbbb'`;
  await scratch`update api_keys set expires_at = now() - interval '1 minute' where prefix = 'cccccccccccc'`;
  const [forced] = await scratch`select relforcerowsecurity as forced from pg_class where relname = 'api_keys'`;
  expect(forced!.forced).toBe(true);

  asOwner = postgres(urlFor(database, owner), { max: 1, onnotice: () => {} });
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
