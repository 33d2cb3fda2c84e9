// The promise for bulk actions (issue 13): a person stars, collects, deletes
// and downloads many of their own jobs at once. A selection that names any job
// that is not the caller's (someone else's, missing or malformed) is refused
// whole, with the single-job 404, and changes nothing of anyone's; deleting
// removes the rows and the files; the download is one zip of exactly the
// selection's stored files.

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Answer, call, createUser, failure, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";

let ada: TestUser;
let bob: TestUser;
let adaCookie: string;
const tag = randomUUID().slice(0, 8);

const done = async (user: TestUser, prompt: string, extra: Record<string, string> = {}) =>
  waitForStatus(user, (await generate(user, prompt, extra)).job_id, ["completed"]);
const fingerprint = (res: Answer) => ({ status: res.status, headers: [...res.headers.entries()].filter(([k]) => k !== "date"), body: res.text });
const rowsOf = async (user: TestUser) => ({
  jobs: await sql()`select id, status, updated_at from image_jobs where user_id = ${user.id} order by id`,
  favourites: await sql()`select image_id from favourites where user_id = ${user.id} order by image_id`,
  entries: await sql()`select collection_id, image_id, position from collection_images where user_id = ${user.id} order by collection_id, image_id`,
});
const folderOf = (user: TestUser, jobId: string) => path.join(inject("dataDir"), "files", "users", user.id, "jobs", jobId);

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-bulk"), createUser("bob-bulk")]);
  adaCookie = await sessionCookie(ada);
});
afterAll(closeSql);

describe("a mix of yours and not yours changes nothing", () => {
  it("refuses the whole request, like a missing job, on every bulk route, and leaves both people's rows and files as they were", async () => {
    const mine = await done(ada, `ada mixed ${tag}`);
    const theirs = await done(bob, `bob mixed ${tag}`);
    const collection = (await call("/api/collections", { token: ada.token, json: { name: "mix" } })).json.data.collection_id;
    const [adaBefore, bobBefore] = [await rowsOf(ada), await rowsOf(bob)];
    const bodies: [string, (ids: string[]) => Record<string, unknown>][] = [
      ["/api/bulk/favourite", (ids) => ({ job_ids: ids })],
      ["/api/bulk/collect", (ids) => ({ job_ids: ids, collection_id: collection })],
      ["/api/bulk/delete", (ids) => ({ job_ids: ids })],
      ["/api/bulk/download", (ids) => ({ job_ids: ids })],
    ];
    for (const [route, body] of bodies) {
      for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
        const mixed = await call(route, { ...auth, json: body([mine.job_id, theirs.job_id]) });
        const withMissing = await call(route, { ...auth, json: body([mine.job_id, randomUUID()]) });
        const withMalformed = await call(route, { ...auth, json: body([mine.job_id, "nope"]) });
        const onlyTheirs = await call(route, { ...auth, json: body([theirs.job_id]) });
        expect(mixed.status, route).toBe(404);
        expect(mixed.json).toEqual(failure("Job not found"));
        expect(fingerprint(mixed)).toEqual(fingerprint(withMissing));
        expect(fingerprint(mixed)).toEqual(fingerprint(withMalformed));
        expect(fingerprint(onlyTheirs)).toEqual(fingerprint(withMissing));
        if (route === "/api/bulk/download") {
          const byLink = await call(`${route}?job_ids=${mine.job_id},${theirs.job_id}`, auth);
          expect(fingerprint(byLink)).toEqual(fingerprint(withMissing));
        }
      }
    }
    expect(await rowsOf(ada)).toEqual(adaBefore);
    expect(await rowsOf(bob)).toEqual(bobBefore);
    expect(existsSync(folderOf(ada, mine.job_id))).toBe(true);
    expect(existsSync(folderOf(bob, theirs.job_id))).toBe(true);
  });

  it("answers someone else's collection like a missing one", async () => {
    const mine = await done(ada, `ada collect ${tag}`);
    const bobCollection = (await call("/api/collections", { token: bob.token, json: { name: "bob's" } })).json.data.collection_id;
    const before = await rowsOf(bob);
    const theirs = await call("/api/bulk/collect", { token: ada.token, json: { job_ids: [mine.job_id], collection_id: bobCollection } });
    const missing = await call("/api/bulk/collect", { token: ada.token, json: { job_ids: [mine.job_id], collection_id: randomUUID() } });
    expect(theirs.status).toBe(404);
    expect(fingerprint(theirs)).toEqual(fingerprint(missing));
    expect(await rowsOf(bob)).toEqual(before);
  });
});

describe("acting on the caller's own jobs", () => {
  it("stars and unstars every image of the selected jobs", async () => {
    const [one, two] = [await done(ada, `ada star one ${tag}`, { n: "2" }), await done(ada, `ada star two ${tag}`)];
    const res = await call("/api/bulk/favourite", { cookie: adaCookie, json: { job_ids: [one.job_id, two.job_id, one.job_id] } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ favourite: true, images: 3 });
    const starred = (await call("/api/jobs?favourite=1&limit=100", { token: ada.token })).json.data.jobs.map((j: any) => j.job_id);
    expect(starred).toEqual(expect.arrayContaining([one.job_id, two.job_id]));
    const off = await call("/api/bulk/favourite", { token: ada.token, json: { job_ids: [one.job_id], favourite: false } });
    expect(off.json.data.images).toBe(2);
    const job = (await call(`/api/jobs/${one.job_id}`, { token: ada.token })).json.data;
    expect(job.images.map((i: any) => i.favourite)).toEqual([false, false]);
  });

  it("adds every image of the selected jobs to a collection, in selection order, once", async () => {
    const [one, two] = [await done(ada, `ada coll one ${tag}`, { n: "2" }), await done(ada, `ada coll two ${tag}`)];
    const collection = (await call("/api/collections", { token: ada.token, json: { name: `bulk ${tag}` } })).json.data.collection_id;
    const res = await call("/api/bulk/collect", { token: ada.token, json: { job_ids: [two.job_id, one.job_id], collection_id: collection } });
    expect(res.status).toBe(200);
    expect(res.json.data.added).toBe(3);
    const again = await call("/api/bulk/collect", { token: ada.token, json: { job_ids: [one.job_id], collection_id: collection } });
    expect(again.json.data.added).toBe(0);
    const shown = (await call(`/api/collections/${collection}`, { token: ada.token })).json.data;
    expect(shown.images.map((i: any) => i.image_id)).toEqual([two.images[0].image_id, one.images[0].image_id, one.images[1].image_id]);
  });

  it("deletes the selected jobs, their rows and their files, and nothing else", async () => {
    const [one, two, keep] = [await done(ada, `ada del one ${tag}`, { n: "2" }), await done(ada, `ada del two ${tag}`), await done(ada, `ada keep ${tag}`)];
    for (const j of [one, two]) expect(existsSync(folderOf(ada, j.job_id))).toBe(true);
    const res = await call("/api/bulk/delete", { token: ada.token, json: { job_ids: [one.job_id, two.job_id] } });
    expect(res.status).toBe(200);
    expect(res.json.data.job_ids.sort()).toEqual([one.job_id, two.job_id].sort());
    for (const j of [one, two]) {
      expect(existsSync(folderOf(ada, j.job_id))).toBe(false);
      expect((await call(`/api/jobs/${j.job_id}`, { token: ada.token })).status).toBe(404);
    }
    expect((await sql()`select count(*)::int as n from job_images where job_id in ${sql()([one.job_id, two.job_id])}`)[0]!.n).toBe(0);
    expect(existsSync(folderOf(ada, keep.job_id))).toBe(true);
    expect((await call(`/api/jobs/${keep.job_id}`, { token: ada.token })).status).toBe(200);
  });

  it("downloads the selection as one zip of the stored files, by JSON or by the gallery's link", async () => {
    const [one, two] = [await done(ada, `ada zip one ${tag}`, { n: "2" }), await done(ada, `ada zip two ${tag}`)];
    for (const [path, request] of [
      ["/api/bulk/download", { token: ada.token, json: { job_ids: [one.job_id, two.job_id] } }],
      [`/api/bulk/download?job_ids=${one.job_id},${two.job_id}`, { cookie: adaCookie }],
    ] as const) {
      const res = await call(path, request);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/zip");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const files = unzipSync(new Uint8Array(res.bytes));
      expect(Object.keys(files).sort()).toEqual([`${one.job_id}-2.png`, `${one.job_id}.png`, `${two.job_id}.png`].sort());
      const stored = await call(`/api/images/${one.images[1].image_id}`, { token: ada.token });
      expect(Buffer.from(files[`${one.job_id}-2.png`]!).equals(stored.bytes)).toBe(true);
    }
  });

  it("validates the selection and follows the API key scopes", async () => {
    const mine = await done(ada, `ada scopes ${tag}`);
    for (const body of [{}, { job_ids: [] }, { job_ids: Array.from({ length: 101 }, () => randomUUID()) }])
      expect((await call("/api/bulk/delete", { token: ada.token, json: body })).status).toBe(400);
    const key = async (scopes: string[]) =>
      (await call("/api/account/keys", { token: ada.token, json: { name: `k ${scopes}`, scopes } })).json.data.key as string;
    const [reader, maker] = await Promise.all([key(["read"]), key(["generate"])]);
    expect((await call("/api/bulk/download", { token: reader, json: { job_ids: [mine.job_id] } })).status).toBe(200);
    expect((await call("/api/bulk/download", { token: maker, json: { job_ids: [mine.job_id] } })).status).toBe(403);
    for (const route of ["/api/bulk/favourite", "/api/bulk/delete"])
      expect((await call(route, { token: reader, json: { job_ids: [mine.job_id] } })).status).toBe(403);
    expect((await call("/api/bulk/favourite", { token: maker, json: { job_ids: [mine.job_id] } })).status).toBe(200);
  });
});
