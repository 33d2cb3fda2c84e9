// The promise for organising and finding (issue 13): a person stars, collects
// and searches only their own images and jobs. Another person's image or
// collection is byte-identical to a missing one on every organising route, and
// nothing of theirs changes; a search never returns another person's job, and
// no search text can make the server fail.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, call, createUser, failure, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";

let ada: TestUser;
let bob: TestUser;
let adaCookie: string;
// Ada's finished jobs, with distinctive words; bob's uses the same words.
let adaHouse: any;
let adaHarbour: any;
let bobHouse: any;
const tag = randomUUID().slice(0, 8);

const fingerprint = (res: Answer) => ({ status: res.status, headers: [...res.headers.entries()].filter(([k]) => k !== "date"), body: res.text });
const done = async (user: TestUser, prompt: string, extra: Record<string, string> = {}) =>
  waitForStatus(user, (await generate(user, prompt, extra)).job_id, ["completed"]);

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-organise"), createUser("bob-organise")]);
  adaCookie = await sessionCookie(ada);
  adaHouse = await done(ada, `a white lighthouse on the cliff ${tag}`, { n: "2", negative_prompt: "fog, crowds" });
  adaHarbour = await done(ada, `fishing boats in a quiet harbour ${tag}`, { style: "watercolor" });
  bobHouse = await done(bob, `bob's red lighthouse ${tag}`);
});
afterAll(closeSql);

const bobRows = async () => ({
  favourites: await sql()`select image_id, created_at from favourites where user_id = ${bob.id} order by image_id`,
  collections: await sql()`select id, name, description, position, updated_at from collections where user_id = ${bob.id} order by id`,
  entries: await sql()`select collection_id, image_id, position from collection_images where user_id = ${bob.id} order by collection_id, image_id`,
});

describe("favourites", () => {
  it("stars and unstars the person's own image, shown on the job as `favourite`", async () => {
    const image = adaHouse.images[1].image_id;
    const star = await call(`/api/images/${image}/favourite`, { method: "PUT", token: ada.token });
    expect(star.status).toBe(200);
    expect(star.json.data).toEqual({ image_id: image, favourite: true });
    // Idempotent.
    expect((await call(`/api/images/${image}/favourite`, { method: "PUT", cookie: adaCookie })).status).toBe(200);
    const job = (await call(`/api/jobs/${adaHouse.job_id}`, { token: ada.token })).json.data;
    expect(job.images.map((i: any) => i.favourite)).toEqual([false, true]);
    const unstar = await call(`/api/images/${image}/favourite`, { method: "DELETE", token: ada.token });
    expect(unstar.json.data).toEqual({ image_id: image, favourite: false });
    const after = (await call(`/api/jobs/${adaHouse.job_id}`, { token: ada.token })).json.data;
    expect(after.images.map((i: any) => i.favourite)).toEqual([false, false]);
  });

  it("answers another person's image exactly like a missing or malformed one, and changes nothing", async () => {
    const before = await bobRows();
    for (const method of ["PUT", "DELETE"]) {
      const theirs = await call(`/api/images/${bobHouse.images[0].image_id}/favourite`, { method, token: ada.token });
      const theirJob = await call(`/api/images/${bobHouse.job_id}/favourite`, { method, token: ada.token });
      const missing = await call(`/api/images/${randomUUID()}/favourite`, { method, token: ada.token });
      const malformed = await call("/api/images/not-an-id/favourite", { method, token: ada.token });
      expect(theirs.status).toBe(404);
      expect(theirs.json).toEqual(failure("Image not found"));
      for (const other of [theirJob, missing, malformed]) expect(fingerprint(other)).toEqual(fingerprint(theirs));
    }
    expect(await bobRows()).toEqual(before);
    expect((await sql()`select count(*)::int as n from favourites where image_id = ${bobHouse.images[0].image_id}`)[0]!.n).toBe(0);
  });
});

describe("collections", () => {
  it("creates, lists, renames, describes, moves and deletes a collection; deleting keeps the images", async () => {
    const created = await call("/api/collections", { token: ada.token, json: { name: "  Coast  ", description: "by the sea" } });
    expect(created.status).toBe(201);
    const c = created.json.data;
    expect(c).toMatchObject({ name: "Coast", description: "by the sea", image_count: 0, cover_thumbnail_url: null });
    const second = (await call("/api/collections", { token: ada.token, json: { name: "Second" } })).json.data;
    expect(second.position).toBeGreaterThan(c.position);

    const renamed = await call(`/api/collections/${c.collection_id}`, {
      method: "PATCH",
      token: ada.token,
      json: { name: "Coastline", position: second.position + 1 },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.data).toMatchObject({ name: "Coastline", description: "by the sea" });
    const list = (await call("/api/collections", { token: ada.token })).json.data.collections.map((x: any) => x.collection_id);
    expect(list).toEqual([second.collection_id, c.collection_id]);

    const add = await call(`/api/collections/${c.collection_id}/images`, { token: ada.token, json: { image_id: adaHouse.images[0].image_id } });
    expect(add.status).toBe(201);
    expect(add.json.data.image_count).toBe(1);
    const again = await call(`/api/collections/${c.collection_id}/images`, { token: ada.token, json: { image_id: adaHouse.images[0].image_id } });
    expect(again.status).toBe(200);

    expect((await call(`/api/collections/${c.collection_id}`, { method: "DELETE", token: ada.token })).status).toBe(200);
    expect((await call(`/api/collections/${c.collection_id}`, { token: ada.token })).status).toBe(404);
    expect((await call(`/api/images/${adaHouse.images[0].image_id}`, { token: ada.token })).status).toBe(200);
    expect((await sql()`select count(*)::int as n from collection_images where collection_id = ${c.collection_id}`)[0]!.n).toBe(0);
  });

  it("keeps images in the order given, and refuses an order that is not exactly the collection's images", async () => {
    const c = (await call("/api/collections", { token: ada.token, json: { name: "Ordered" } })).json.data;
    const ids = [adaHouse.images[0].image_id, adaHouse.images[1].image_id, adaHarbour.images[0].image_id];
    for (const image_id of ids) expect((await call(`/api/collections/${c.collection_id}/images`, { token: ada.token, json: { image_id } })).status).toBe(201);
    const shown = async () => (await call(`/api/collections/${c.collection_id}`, { token: ada.token })).json.data.images.map((i: any) => i.image_id);
    expect(await shown()).toEqual(ids);
    const reversed = [...ids].reverse();
    expect((await call(`/api/collections/${c.collection_id}/images/order`, { method: "PUT", token: ada.token, json: { image_ids: reversed } })).status).toBe(
      200,
    );
    expect(await shown()).toEqual(reversed);
    for (const bad of [ids.slice(1), [...ids, bobHouse.images[0].image_id], [ids[0], ids[0], ids[1]]]) {
      const res = await call(`/api/collections/${c.collection_id}/images/order`, { method: "PUT", token: ada.token, json: { image_ids: bad } });
      expect(res.status).toBe(400);
    }
    expect(await shown()).toEqual(reversed);
    const removed = await call(`/api/collections/${c.collection_id}/images/${ids[1]}`, { method: "DELETE", token: ada.token });
    expect(removed.status).toBe(200);
    expect(await shown()).toEqual([ids[2], ids[0]]);
    expect((await call(`/api/collections/${c.collection_id}/images/${ids[1]}`, { method: "DELETE", token: ada.token })).json).toEqual(
      failure("Image not found"),
    );
  });

  it("answers adding another person's image exactly like adding a missing one, and stores nothing", async () => {
    const c = (await call("/api/collections", { token: ada.token, json: { name: "Mine only" } })).json.data;
    const add = (image_id: string) => call(`/api/collections/${c.collection_id}/images`, { token: ada.token, json: { image_id } });
    const theirs = await add(bobHouse.images[0].image_id);
    expect(theirs.status).toBe(404);
    expect(theirs.json).toEqual(failure("Image not found"));
    for (const other of [await add(randomUUID()), await add("not-an-id"), await add(bobHouse.job_id)]) expect(fingerprint(other)).toEqual(fingerprint(theirs));
    expect((await sql()`select count(*)::int as n from collection_images where collection_id = ${c.collection_id}`)[0]!.n).toBe(0);
  });

  it("answers another person's collection on every route exactly like a missing one, and changes nothing of theirs", async () => {
    const bobColl = (await call("/api/collections", { token: bob.token, json: { name: "bob's secret", description: "private" } })).json.data;
    await call(`/api/collections/${bobColl.collection_id}/images`, { token: bob.token, json: { image_id: bobHouse.images[0].image_id } });
    const before = await bobRows();
    const routes = (id: string, image: string) => [
      { method: "GET", path: `/api/collections/${id}` },
      { method: "PATCH", path: `/api/collections/${id}`, json: { name: "taken" } },
      { method: "DELETE", path: `/api/collections/${id}` },
      { method: "POST", path: `/api/collections/${id}/images`, json: { image_id: adaHouse.images[0].image_id } },
      { method: "PUT", path: `/api/collections/${id}/images/order`, json: { image_ids: [image] } },
      { method: "DELETE", path: `/api/collections/${id}/images/${image}` },
    ];
    const theirs = routes(bobColl.collection_id, bobHouse.images[0].image_id);
    const missing = routes(randomUUID(), bobHouse.images[0].image_id);
    const malformed = routes("not-an-id", bobHouse.images[0].image_id);
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      for (let i = 0; i < theirs.length; i++) {
        const a = await call(theirs[i]!.path, { method: theirs[i]!.method, json: theirs[i]!.json, ...auth });
        expect(a.status, theirs[i]!.path).toBe(404);
        expect(a.json).toEqual(failure("Collection not found"));
        expect(fingerprint(await call(missing[i]!.path, { method: missing[i]!.method, json: missing[i]!.json, ...auth }))).toEqual(fingerprint(a));
        expect(fingerprint(await call(malformed[i]!.path, { method: malformed[i]!.method, json: malformed[i]!.json, ...auth }))).toEqual(fingerprint(a));
      }
    }
    const list = await call("/api/collections", { token: ada.token });
    expect(list.text).not.toContain(bobColl.collection_id);
    expect(list.text).not.toContain("bob's secret");
    expect(await bobRows()).toEqual(before);
  });

  it("holds at most 1000 images, so reading one stays bounded", async () => {
    const c = (await call("/api/collections", { token: ada.token, json: { name: "Full" } })).json.data;
    // 1000 stand-in image rows of ada's job, straight into the tables (as their owner, in the test database).
    await sql()`
      with images as (
        insert into job_images (user_id, job_id, "index", image_key, thumbnail_key, content_type, width, height)
        select ${ada.id}, ${adaHouse.job_id}, 100 + i, 'none', 'none', 'image/png', 1, 1 from generate_series(1, 1000) i
        returning id, "index")
      insert into collection_images (user_id, collection_id, image_id, position)
      select ${ada.id}, ${c.collection_id}, id, "index" from images`;
    const res = await call(`/api/collections/${c.collection_id}/images`, { token: ada.token, json: { image_id: adaHarbour.images[0].image_id } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(failure("A collection holds at most 1000 images"));
    await sql()`delete from job_images where job_id = ${adaHouse.job_id} and "index" >= 100`;
  });

  it("refuses names and descriptions that are empty or too long", async () => {
    for (const json of [{}, { name: "" }, { name: "x".repeat(101) }, { name: "ok", description: "x".repeat(1001) }, { name: 5 }]) {
      expect((await call("/api/collections", { token: ada.token, json })).status).toBe(400);
    }
  });
});

describe("search", () => {
  const search = async (query: string, user = ada) => {
    const res = await call(`/api/jobs?${query}`, { token: user.token });
    expect(res.status, query).toBe(200);
    return res.json.data.jobs.map((j: any) => j.job_id) as string[];
  };
  const q = (text: string) => `q=${encodeURIComponent(text)}`;

  it("finds by word, by stem, and by the prefix of the last word, and never another person's job", async () => {
    expect(await search(q(`lighthouse ${tag}`))).toEqual([adaHouse.job_id]);
    expect(await search(q(`lighthouses ${tag}`))).toEqual([adaHouse.job_id]);
    expect(await search(q(`${tag} lightho`))).toEqual([adaHouse.job_id]);
    expect(await search(q(`${tag} harb`))).toEqual([adaHarbour.job_id]);
    // The negative prompt is searched too.
    expect(await search(q(`crowds ${tag}`))).toEqual([adaHouse.job_id]);
    expect(await search(q(tag))).toEqual(expect.arrayContaining([adaHouse.job_id, adaHarbour.job_id]));
    expect(await search(q(tag))).not.toContain(bobHouse.job_id);
    expect(await search(q(`red ${tag}`))).toEqual([]);
    expect(await search(q(`red ${tag}`), bob)).toEqual([bobHouse.job_id]);
    expect(await search(`${q(tag)}&sort=relevance&limit=1`)).toHaveLength(1);
  });

  it("combines the words with the filters", async () => {
    expect(await search(`${q(tag)}&style=watercolor`)).toEqual([adaHarbour.job_id]);
    expect(await search(`${q(tag)}&status=failed`)).toEqual([]);
    expect(await search(`${q(tag)}&model=${encodeURIComponent(adaHouse.model)}`)).toEqual(expect.arrayContaining([adaHouse.job_id]));
    expect(await search(`${q(tag)}&from=2000-01-01&to=2001-01-01`)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await search(`${q(tag)}&from=${today}&to=${today}`)).toHaveLength(2);
    await call(`/api/images/${adaHarbour.images[0].image_id}/favourite`, { method: "PUT", token: ada.token });
    expect(await search(`${q(tag)}&favourite=1`)).toEqual([adaHarbour.job_id]);
    const c = (await call("/api/collections", { token: ada.token, json: { name: "Search" } })).json.data;
    await call(`/api/collections/${c.collection_id}/images`, { token: ada.token, json: { image_id: adaHouse.images[1].image_id } });
    expect(await search(`collection=${c.collection_id}`)).toEqual([adaHouse.job_id]);
    // Another person's collection is like a missing one: nothing matches.
    const bobColl = (await call("/api/collections", { token: bob.token, json: { name: "b" } })).json.data;
    await call(`/api/collections/${bobColl.collection_id}/images`, { token: bob.token, json: { image_id: bobHouse.images[0].image_id } });
    expect(await search(`collection=${bobColl.collection_id}`)).toEqual([]);
  });

  it("pages through results newest first and by relevance", async () => {
    const first = (await call(`/api/jobs?${q(tag)}&limit=1`, { token: ada.token })).json.data;
    const second = (await call(`/api/jobs?${q(tag)}&limit=1&cursor=${first.next_cursor}`, { token: ada.token })).json.data;
    expect([...first.jobs, ...second.jobs].map((j: any) => j.job_id)).toEqual([adaHarbour.job_id, adaHouse.job_id]);
    const r1 = (await call(`/api/jobs?${q(tag)}&sort=relevance&limit=1`, { token: ada.token })).json.data;
    const r2 = (await call(`/api/jobs?${q(tag)}&sort=relevance&limit=1&cursor=${r1.next_cursor}`, { token: ada.token })).json.data;
    expect([...r1.jobs, ...r2.jobs].map((j: any) => j.job_id).sort()).toEqual([adaHarbour.job_id, adaHouse.job_id].sort());
    expect(r2.next_cursor).toBeNull();
    // A newest-first cursor is not a relevance cursor.
    expect((await call(`/api/jobs?${q(tag)}&sort=relevance&cursor=${first.next_cursor}`, { token: ada.token })).status).toBe(400);
  });

  it.each([
    `"unterminated`,
    "a & | ! ( ) <-> :* b",
    "!!!",
    "'; drop table image_jobs; --",
    "lighthouse:*A & !",
    "the",
    "   ",
    "(((",
    "x".repeat(200),
    "日本語 の 灯台",
    "\\",
  ])("never fails on the search text %j", async (text) => {
    const res = await call(`/api/jobs?${q(text)}`, { token: ada.token });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(bobHouse.job_id);
  });

  it("refuses bad filters with a 400, never a 500", async () => {
    for (const query of ["sort=best", "favourite=yes", "collection=nope", "from=yesterday", "to=2026-13-45", `q=${"x".repeat(201)}`, "q=%00"]) {
      expect((await call(`/api/jobs?${query}`, { token: ada.token })).status, query).toBe(400);
    }
  });
});
