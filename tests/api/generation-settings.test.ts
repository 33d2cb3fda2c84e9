// Issue 11's request fields (model, aspect_ratio, n, seed, negative_prompt) in
// every body format, the job object's images, and the offline renderer's
// promise: same settings and seed → the same bytes, another seed → others.
import { randomUUID } from "node:crypto";
import { unzipSync } from "fflate";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, call, createUser, failure, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";
import { METADATA_CHUNKS, pngChunks, pngText } from "../support/png";

let ada: TestUser;
let bob: TestUser;
beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-settings"), createUser("bob-settings")]);
});
afterAll(closeSql);

const create = (json: Record<string, unknown>, user = ada) => call("/api/generate-image", { token: user.token, json: { prompt: "settings", ...json } });
const done = async (json: Record<string, unknown>) => {
  const res = await create(json);
  expect(res.status, res.text).toBe(202);
  return waitForStatus(ada, res.json.data.job_id, ["completed"]);
};
const bytesOf = async (url: string) => (await call(url, { token: ada.token })).bytes;
const fingerprint = (res: Answer) => ({ status: res.status, headers: [...res.headers.entries()].filter(([k]) => k !== "date"), body: res.text });

describe("the request's generation settings", () => {
  it("records the defaults: 1:1, one image, a seed, no negative prompt, the default model", async () => {
    const res = await create({});
    expect(res.status).toBe(202);
    expect(res.json.data).toMatchObject({ model: "local/sketch", aspect_ratio: "1:1", n: 1, negative_prompt: null, images: [] });
    expect(Number.isInteger(res.json.data.seed)).toBe(true);
    expect(res.json.data.seed).toBeGreaterThanOrEqual(0);
    expect(res.json.data.seed).toBeLessThanOrEqual(2147483647);
  });

  it.each([
    ["aspect_ratio", "9:16"],
    ["n", 4],
    ["n", 1],
    ["seed", 0],
    ["seed", 2147483647],
    ["negative_prompt", "n".repeat(1000)],
    ["model", "local/sketch"],
  ])("accepts %s = %j at its bound", async (field, value) => {
    const res = await create({ [field]: value });
    expect(res.status, res.text).toBe(202);
    expect(res.json.data[field]).toEqual(value);
  });

  it.each([
    ["aspect_ratio", "5:4"],
    ["aspect_ratio", 1],
    ["n", 0],
    ["n", 5],
    ["n", 2.5],
    ["n", "two"],
    ["n", -1],
    ["seed", -1],
    ["seed", 2147483648],
    ["seed", 1.5],
    ["seed", "1e3"],
    ["negative_prompt", "n".repeat(1001)],
    ["negative_prompt", 42],
    ["model", "openai:not-offered-here"],
    ["model", "nonsense"],
  ])("answers 400 naming the field for %s = %j", async (field, value) => {
    const res = await create({ [field]: value });
    expect(res.status, res.text).toBe(400);
    expect(res.json.meta.field).toBe(field);
    expect(res.json.meta.message).toContain(`"${field}"`);
  });

  it("reads every field from urlencoded and multipart forms too", async () => {
    const fields = { prompt: "forms", aspect_ratio: "4:3", n: "2", seed: "77", negative_prompt: "fog", model: "local/sketch" };
    for (const body of [{ form: fields }, { multipart: fields }]) {
      const res = await call("/api/generate-image", { token: ada.token, ...body });
      expect(res.status, res.text).toBe(202);
      expect(res.json.data).toMatchObject({ aspect_ratio: "4:3", n: 2, seed: 77, negative_prompt: "fog", model: "local/sketch" });
    }
    const bad = await call("/api/generate-image", { token: ada.token, form: { prompt: "forms", n: "9" } });
    expect(bad.status).toBe(400);
    expect(bad.json.meta.field).toBe("n");
  });

  it("answers 409 when an Idempotency-Key is reused with other settings, and replays without a seed", async () => {
    const key = `settings-${randomUUID()}`;
    const headers = { "idempotency-key": key };
    const first = await call("/api/generate-image", { token: ada.token, headers, json: { prompt: "idem", n: 2 } });
    const again = await call("/api/generate-image", { token: ada.token, headers, json: { prompt: "idem", n: 2 } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json.data.job_id).toBe(first.json.data.job_id);
    for (const other of [{ n: 3 }, { n: 2, aspect_ratio: "3:2" }, { n: 2, seed: (first.json.data.seed + 1) % 2147483647 }, { n: 2, negative_prompt: "x" }]) {
      const res = await call("/api/generate-image", { token: ada.token, headers, json: { prompt: "idem", ...other } });
      expect(res.status, JSON.stringify(other)).toBe(409);
    }
    const sameSeed = await call("/api/generate-image", { token: ada.token, headers, json: { prompt: "idem", n: 2, seed: first.json.data.seed } });
    expect(sameSeed.status).toBe(202);
  });
});

describe("several images per job", () => {
  it("n=3 at 16:9 gives three 16:9 images, each served by its own id, the first also by the job's id", async () => {
    const job = await done({ n: 3, aspect_ratio: "16:9", seed: 1234 });
    expect(job).toMatchObject({ n: 3, aspect_ratio: "16:9", seed: 1234, width: 672, height: 384, image_url: `/api/images/${job.job_id}` });
    expect(job.images).toHaveLength(3);
    expect(job.images.map((i: { index: number }) => i.index)).toEqual([0, 1, 2]);
    expect(new Set(job.images.map((i: { image_id: string }) => i.image_id)).size).toBe(3);
    for (const image of job.images) {
      expect(image).toEqual({
        image_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        index: image.index,
        url: `/api/images/${image.image_id}`,
        thumbnail_url: `/api/images/${image.image_id}/thumbnail`,
        width: 672,
        height: 384,
        // Issue 13: whether the caller starred it.
        favourite: false,
      });
      const file = await call(image.url, { token: ada.token });
      expect(file.status).toBe(200);
      expect(await sharp(file.bytes).metadata()).toMatchObject({ format: "png", width: 672, height: 384 });
      const thumb = await call(image.thumbnail_url, { token: ada.token });
      expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: "webp", width: 256, height: 146 });
      const download = await call(`${image.url}?download=1`, { token: ada.token });
      expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="darkroom-[0-9a-f-]+(-\d)?\.png"$/);
    }
    expect((await bytesOf(job.image_url)).equals(await bytesOf(job.images[0].url))).toBe(true);
    expect((await bytesOf(job.images[1].url)).equals(await bytesOf(job.images[2].url))).toBe(false);
    const rows = await sql()`select user_id, "index", width, height from job_images where job_id = ${job.job_id} order by "index"`;
    expect(rows.map((r) => [r.user_id, r.index, r.width, r.height])).toEqual([0, 1, 2].map((i) => [ada.id, i, 672, 384]));
    // The list shows the same images.
    const listed = (await call("/api/jobs?limit=100", { token: ada.token })).json.data.jobs.find((j: { job_id: string }) => j.job_id === job.job_id);
    expect(listed.images).toEqual(job.images);
  });

  it("serves someone else's image exactly like a missing one, on every image route", async () => {
    const job = await done({ n: 2 });
    for (const image of job.images) {
      for (const suffix of ["", "/thumbnail", "?download=1"]) {
        const theirs = await call(`/api/images/${image.image_id}${suffix}`, { token: bob.token });
        const missing = await call(`/api/images/${randomUUID()}${suffix}`, { token: bob.token });
        expect(theirs.status).toBe(404);
        expect(theirs.json).toEqual(failure("Job not found"));
        expect(fingerprint(theirs)).toEqual(fingerprint(missing));
      }
    }
  });

  it("deletes every image's row and file with the job", async () => {
    const job = await done({ n: 2 });
    expect((await call(`/api/jobs/${job.job_id}`, { token: ada.token, method: "DELETE" })).status).toBe(200);
    expect(await sql()`select id from job_images where job_id = ${job.job_id}`).toHaveLength(0);
    for (const image of job.images) expect((await call(image.url, { token: ada.token })).status).toBe(404);
  });
});

describe("seeds", () => {
  it("draws the same settings and seed identically, another seed differently, and image i with seed + i", async () => {
    const settings = { prompt: `seeded ${randomUUID()}`, aspect_ratio: "3:4", negative_prompt: "rain" };
    const a = await done({ ...settings, seed: 99, n: 2 });
    const b = await done({ ...settings, seed: 99, n: 1 });
    const c = await done({ ...settings, seed: 100, n: 1 });
    const [a0, a1, b0, c0] = await Promise.all([bytesOf(a.images[0].url), bytesOf(a.images[1].url), bytesOf(b.images[0].url), bytesOf(c.images[0].url)]);
    expect(a0.equals(b0)).toBe(true);
    expect(a0.equals(c0)).toBe(false);
    expect(a1.equals(c0)).toBe(true);
  });
});

describe("files that carry nothing private", () => {
  it("stores and serves images without text chunks; ?parameters=1 adds AUTOMATIC1111's parameters chunk", async () => {
    const job = await done({ prompt: "a private, quiet garden", negative_prompt: "people", seed: 500, n: 2, style: "watercolor", aspect_ratio: "2:3" });
    for (const image of job.images) {
      const served = await call(`${image.url}?download=1`, { token: ada.token });
      expect(pngChunks(served.bytes).filter((c) => METADATA_CHUNKS.includes(c.type))).toEqual([]);
      expect(served.bytes.includes(Buffer.from("garden"))).toBe(false);
    }
    const plain = await call(`${job.images[1].url}?download=1`, { token: ada.token });
    const withParameters = await call(`${job.images[1].url}?download=1&parameters=1`, { token: ada.token });
    expect(withParameters.status).toBe(200);
    expect(withParameters.headers.get("content-type")).toBe("image/png");
    expect(withParameters.headers.get("content-disposition")).toBe(`attachment; filename="darkroom-${job.job_id}-2.png"`);
    expect(pngText(withParameters.bytes)).toEqual({
      parameters: "a private, quiet garden\nNegative prompt: people\nSeed: 501, Size: 416x608, Model: local/sketch, Style: watercolor, Quality: standard",
    });
    // The same pixels: only the chunk was added.
    expect((await sharp(withParameters.bytes).raw().toBuffer()).equals(await sharp(plain.bytes).raw().toBuffer())).toBe(true);
    // Someone else asking for the parameters gets the same 404 as for a missing image.
    const theirs = await call(`${job.images[1].url}?download=1&parameters=1`, { token: bob.token });
    const missing = await call(`/api/images/${randomUUID()}?download=1&parameters=1`, { token: bob.token });
    expect(fingerprint(theirs)).toEqual(fingerprint(missing));
  });
});

describe("vary", () => {
  it("makes a new job with the same settings and a new seed, drawing different images", async () => {
    const original = await done({ prompt: `vary ${randomUUID()}`, aspect_ratio: "4:3", n: 2, negative_prompt: "smoke", style: "anime", seed: 8 });
    const res = await call(`/api/jobs/${original.job_id}/vary`, { token: ada.token, method: "POST" });
    expect(res.status).toBe(202);
    expect(res.json.meta.message).toBe("Job queued");
    const varied = res.json.data;
    expect(varied.job_id).not.toBe(original.job_id);
    expect(res.headers.get("location")).toBe(`/api/image-status/${varied.job_id}`);
    for (const key of ["prompt", "style", "quality", "model", "aspect_ratio", "n", "negative_prompt"]) expect(varied[key], key).toEqual(original[key]);
    expect(varied.seed).not.toBe(8);
    const finished = await waitForStatus(ada, varied.job_id, ["completed"]);
    expect((await bytesOf(finished.images[0].url)).equals(await bytesOf(original.images[0].url))).toBe(false);
  });

  it("answers someone else's, a missing and a malformed job with the same 404, and creates nothing", async () => {
    const original = await done({});
    const before = await sql()`select count(*)::int as n from image_jobs where user_id in (${ada.id}, ${bob.id})`;
    const theirs = await call(`/api/jobs/${original.job_id}/vary`, { token: bob.token, method: "POST" });
    const missing = await call(`/api/jobs/${randomUUID()}/vary`, { token: bob.token, method: "POST" });
    const malformed = await call("/api/jobs/nope/vary", { token: bob.token, method: "POST" });
    expect(theirs.status).toBe(404);
    expect(fingerprint(theirs)).toEqual(fingerprint(missing));
    expect(fingerprint(theirs)).toEqual(fingerprint(malformed));
    expect(await sql()`select count(*)::int as n from image_jobs where user_id in (${ada.id}, ${bob.id})`).toEqual(before);
  });
});

describe("the export", () => {
  it("holds every image of every job, clean by default and with the parameters when asked", async () => {
    const carol = await createUser("carol-export");
    const res = await call("/api/generate-image", { token: carol.token, json: { prompt: "exported pair", n: 2, seed: 10 } });
    const job = await waitForStatus(carol, res.json.data.job_id, ["completed"]);
    for (const parameters of [false, true]) {
      const zip = await call(`/api/account/export${parameters ? "?parameters=1" : ""}`, { token: carol.token });
      expect(zip.status).toBe(200);
      const files = unzipSync(new Uint8Array(zip.bytes));
      expect(Object.keys(files).sort()).toEqual([`images/${job.job_id}-2.png`, `images/${job.job_id}.png`, "jobs.json"]);
      const second = Buffer.from(files[`images/${job.job_id}-2.png`]!);
      expect(pngText(second)).toEqual(parameters ? { parameters: expect.stringContaining("Seed: 11, Size: 512x512") } : {});
      const manifest = JSON.parse(new TextDecoder().decode(files["jobs.json"]));
      expect(manifest.jobs[0].images).toHaveLength(2);
    }
  });
});
