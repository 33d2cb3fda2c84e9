// Migration 0011 (share links) as the tables' real owner — neither superuser
// nor BYPASSRLS, bound by FORCE like production — on a scratch database: the
// share lookup function finds a live share by its token hash for darkroom_app
// only, never an expired one; the composite keys refuse a share of someone
// else's image or collection; deleting the job or the collection ends the share.
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

it("finds live shares by token hash for darkroom_app only, keeps shares to their owner's objects, and ends them with the object", async () => {
  scratch = await createScratch("m11");
  const { sql, suffix } = scratch;
  await scratch.migrate();
  const [ada, bob] = [randomUUID(), randomUUID()];
  await sql`insert into users (id, email, password_hash) values (${ada}, ${`ada-${suffix}@example.com`}, 'x'), (${bob}, ${`bob-${suffix}@example.com`}, 'x')`;
  const job = randomUUID();
  const image = randomUUID();
  await sql`insert into image_jobs (id, user_id, status, prompt, style, quality, model) values (${job}, ${ada}, 'completed', 'p', 'sketch', 'standard', 'local/sketch')`;
  await sql`insert into job_images (id, user_id, job_id, "index", image_key, thumbnail_key, content_type, width, height)
    values (${image}, ${ada}, ${job}, 0, 'k', 't', 'image/png', 1, 1)`;
  const [collection] = await sql`insert into collections (user_id, name) values (${ada}, 'c') returning id`;
  await sql`insert into shares (user_id, token_hash, image_id, expires_at) values
    (${ada}, 'hash-live', ${image}, now() + interval '1 hour'),
    (${ada}, 'hash-expired', ${image}, now() - interval '1 minute')`;
  await sql`insert into shares (user_id, token_hash, collection_id, expires_at) values (${ada}, 'hash-collection', ${collection!.id}, now() + interval '1 hour')`;
  const [forced] = await sql`select relforcerowsecurity as forced from pg_class where relname = 'shares'`;
  expect(forced!.forced).toBe(true);

  // A share of someone else's image or collection is refused by the composite keys, whatever a query did.
  await expect(
    sql`insert into shares (user_id, token_hash, image_id, expires_at) values (${bob}, 'h-bob', ${image}, now() + interval '1 hour')`,
  ).rejects.toThrow(/shares_image_owner_fk/);
  await expect(
    sql`insert into shares (user_id, token_hash, collection_id, expires_at) values (${bob}, 'h-bob2', ${collection!.id}, now() + interval '1 hour')`,
  ).rejects.toThrow(/shares_collection_owner_fk/);
  // Exactly one object per share.
  await expect(
    sql`insert into shares (user_id, token_hash, image_id, collection_id, expires_at) values (${ada}, 'h-both', ${image}, ${collection!.id}, now() + interval '1 hour')`,
  ).rejects.toThrow(/shares_one_object/);

  asOwner = postgres(scratch.ownerUrl, { max: 1, onnotice: () => {} });
  const lookup = (hash: string) =>
    asOwner!.begin(async (tx) => {
      await tx`set local role darkroom_app`;
      return tx`select user_id from darkroom_share_lookup(${hash})`;
    });
  expect(await lookup("hash-live")).toEqual([{ user_id: ada }]);
  expect(await lookup("hash-expired")).toEqual([]);
  expect(await lookup("hash-unknown")).toEqual([]);
  const direct = await asOwner.begin(async (tx) => {
    await tx`set local role darkroom_app`;
    return tx`select count(*)::int as n from shares`;
  });
  expect(direct[0]!.n).toBe(0);
  await expect(
    asOwner.begin(async (tx) => {
      await tx`set local role darkroom_worker`;
      await tx`select * from darkroom_share_lookup('hash-live')`;
    }),
  ).rejects.toThrow(/permission denied/);

  // Deleting the job (and with it its images) or the collection deletes their shares.
  await sql`delete from image_jobs where id = ${job}`;
  expect(await lookup("hash-live")).toEqual([]);
  expect(await lookup("hash-collection")).toEqual([{ user_id: ada }]);
  await sql`delete from collections where id = ${collection!.id}`;
  expect(await lookup("hash-collection")).toEqual([]);
  expect((await sql`select count(*)::int as n from shares`)[0]!.n).toBe(0);
});
