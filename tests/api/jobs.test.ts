// A person's own jobs: creation in every body format, the lifecycle from
// queued to completed, images and thumbnails, listing, retry and delete.
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, call, createUser, failure, generate, type TestUser, waitForStatus } from "../support/api";
import { closeSql, jobRow } from "../support/db";

let ada: TestUser;
beforeAll(async () => {
  ada = await createUser("ada");
});
afterAll(closeSql);

const jobKeys = [
  "job_id",
  "status",
  "prompt",
  "style",
  "quality",
  "model",
  "aspect_ratio",
  "n",
  "seed",
  "negative_prompt",
  "images",
  "attempts",
  "error",
  "image_url",
  "thumbnail_url",
  "width",
  "height",
  "progress",
  "preview_url",
  "created_at",
  "updated_at",
  "completed_at",
].sort();

describe("creating a job", () => {
  it("queues a job from JSON with defaults, a Location header and the public shape", async () => {
    const res = await call("/api/generate-image", { token: ada.token, json: { prompt: "  a lighthouse at dusk  " } });
    expect(res.status).toBe(202);
    expect(res.json.meta).toEqual({ code: 1, message: "Job queued" });
    const job = res.json.data;
    expect(Object.keys(job).sort()).toEqual(jobKeys);
    expect(job).toMatchObject({
      prompt: "a lighthouse at dusk",
      style: "realistic",
      quality: "standard",
      model: "local/sketch",
      image_url: null,
      thumbnail_url: null,
    });
    expect(["queued", "processing", "completed"]).toContain(job.status);
    expect(res.headers.get("location")).toBe(`/api/image-status/${job.job_id}`);
    expect(res.headers.get("cache-control")).toBe("private, no-store, no-transform");
  });

  it("accepts multipart and urlencoded forms with style and quality", async () => {
    const multipart = await call("/api/generate-image", { token: ada.token, multipart: { prompt: "fox", style: "anime", quality: "high" } });
    expect(multipart.status).toBe(202);
    expect(multipart.json.data).toMatchObject({ style: "anime", quality: "high" });
    const form = await call("/api/generate-image", { token: ada.token, form: { prompt: "owl", style: "pixel-art" } });
    expect(form.status).toBe(202);
    expect(form.json.data).toMatchObject({ style: "pixel-art", quality: "standard" });
  });

  it("ignores a user_id in the body, query and headers: the owner is the caller", async () => {
    const bob = await createUser("bob");
    const res = await call(`/api/generate-image?user_id=${bob.id}&userId=${bob.id}`, {
      token: ada.token,
      headers: { "x-user-id": bob.id },
      json: { prompt: "whose is it", user_id: bob.id, userId: bob.id },
    });
    expect(res.status).toBe(202);
    expect((await jobRow(res.json.data.job_id))!.user_id).toBe(ada.id);
    expect((await call(`/api/image-status/${res.json.data.job_id}`, { token: bob.token })).status).toBe(404);
  });

  it.each([
    [{}, "prompt"],
    [{ prompt: "   " }, "prompt"],
    [{ prompt: "x".repeat(2001) }, "prompt"],
    [{ prompt: 42 }, "prompt"],
    [{ prompt: "ok", style: "cubism" }, "style"],
    [{ prompt: "ok", quality: "ultra" }, "quality"],
  ])("answers 400 naming the field for %j and creates nothing", async (body, field) => {
    const before = (await call("/api/jobs?limit=100", { token: ada.token })).json.data.jobs.length;
    const res = await call("/api/generate-image", { token: ada.token, json: body });
    expect(res.status).toBe(400);
    expect(res.json.meta.code).toBe(0);
    expect(res.json.meta.message).toContain(`"${field}"`);
    // The field is also named on its own, so clients need not parse the message.
    expect(res.json.meta.field).toBe(field);
    expect(res.json.meta.message).toMatch(/^Invalid field "\w+": /);
    expect(res.json.data).toBeNull();
    expect((await call("/api/jobs?limit=100", { token: ada.token })).json.data.jobs.length).toBe(before);
  });

  it("accepts a prompt of exactly 2000 characters", async () => {
    expect((await call("/api/generate-image", { token: ada.token, json: { prompt: "y".repeat(2000) } })).status).toBe(202);
  });

  it("answers malformed JSON with 400, other content types with 415, and bodies over 64 KiB with 413", async () => {
    const malformed = await call("/api/generate-image", { token: ada.token, body: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual(failure("Malformed JSON body"));
    const array = await call("/api/generate-image", { token: ada.token, body: "[1,2]", headers: { "content-type": "application/json" } });
    expect(array.status).toBe(400);
    const xml = await call("/api/generate-image", { token: ada.token, body: "<prompt>x</prompt>", headers: { "content-type": "application/xml" } });
    expect(xml.status).toBe(415);
    expect(xml.json.meta.code).toBe(0);
    const huge = await call("/api/generate-image", { token: ada.token, json: { prompt: "z".repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.json.meta.code).toBe(0);
  });

  it("returns the same job for a repeated Idempotency-Key, and 409 if the request differs", async () => {
    const key = `key-${Math.random()}`;
    const first = await call("/api/generate-image", { token: ada.token, headers: { "idempotency-key": key }, json: { prompt: "once" } });
    const second = await call("/api/generate-image", { token: ada.token, headers: { "idempotency-key": key }, json: { prompt: "once" } });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json.data.job_id).toBe(first.json.data.job_id);
    const different = await call("/api/generate-image", { token: ada.token, headers: { "idempotency-key": key }, json: { prompt: "twice" } });
    expect(different.status).toBe(409);
    // The same key used by someone else is their own, separate job.
    const bob = await createUser("bob-idem");
    const bobs = await call("/api/generate-image", { token: bob.token, headers: { "idempotency-key": key }, json: { prompt: "once" } });
    expect(bobs.status).toBe(202);
    expect(bobs.json.data.job_id).not.toBe(first.json.data.job_id);
  });
});

describe("the lifecycle", () => {
  it("goes queued → processing → completed and serves the image and its thumbnail", async () => {
    const created = await generate(ada, "a red kite over the dunes", { style: "watercolor" });
    const done = await waitForStatus(ada, created.job_id, ["completed", "failed"]);
    expect(done.status).toBe("completed");
    expect(done).toMatchObject({
      attempts: 1,
      error: null,
      width: 512,
      height: 512,
      image_url: `/api/images/${created.job_id}`,
      thumbnail_url: `/api/images/${created.job_id}/thumbnail`,
    });
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(done.created_at));

    const image = await call(done.image_url, { token: ada.token });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("private, no-store");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(image.headers.get("content-disposition")).toBeNull();
    expect(await sharp(image.bytes).metadata()).toMatchObject({ format: "png", width: 512, height: 512 });

    const download = await call(`${done.image_url}?download=1`, { token: ada.token });
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="darkroom-[0-9a-f-]+\.png"$/);
    expect(download.bytes.equals(image.bytes)).toBe(true);

    const thumb = await call(done.thumbnail_url, { token: ada.token });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(thumb.headers.get("cache-control")).toBe("private, no-store");
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: "webp", width: 256 });
  });

  it("records the processing state in the database while rendering", async () => {
    const created = await generate(ada);
    // Every state the job passes through is one of the four, and it ends completed with a start time.
    const done = await waitForStatus(ada, created.job_id, ["completed"]);
    const row = await jobRow(done.job_id);
    expect(row!.started_at).not.toBeNull();
    expect(row!.status).toBe("completed");
    expect(row!.image_key).toBe(`users/${ada.id}/jobs/${done.job_id}/image.png`);
  });

  it("draws the same prompt, style and quality identically (the offline renderer is deterministic)", async () => {
    const prompt = `deterministic ${Math.random()}`;
    const a = await waitForStatus(ada, (await generate(ada, prompt)).job_id, ["completed"]);
    const b = await waitForStatus(ada, (await generate(ada, prompt)).job_id, ["completed"]);
    const [ia, ib] = await Promise.all([call(a.image_url, { token: ada.token }), call(b.image_url, { token: ada.token })]);
    expect(ia.bytes.equals(ib.bytes)).toBe(true);
  });

  it("ends a failing render `failed` with a readable error after 3 attempts, and retry-job completes it", async () => {
    const created = await generate(ada, "this one breaks [[fail]]");
    const failed = await waitForStatus(ada, created.job_id, ["failed", "completed"]);
    expect(failed).toMatchObject({ status: "failed", attempts: 3, error: "The renderer failed (injected test failure)", image_url: null });

    const retry = await call(`/api/retry-job/${created.job_id}`, { token: ada.token, method: "POST" });
    expect(retry.status).toBe(202);
    expect(retry.json.data).toMatchObject({ job_id: created.job_id, error: null });
    expect(["queued", "processing", "completed"]).toContain(retry.json.data.status);
    const done = await waitForStatus(ada, created.job_id, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", attempts: 4, error: null });
  });

  it("refuses to retry a job that is not failed (409) and changes nothing", async () => {
    const done = await waitForStatus(ada, (await generate(ada)).job_id, ["completed"]);
    const res = await call(`/api/retry-job/${done.job_id}`, { token: ada.token, method: "POST" });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(failure("Only a failed job can be retried; this one is completed"));
    expect((await call(`/api/image-status/${done.job_id}`, { token: ada.token })).json.data).toEqual(done);
  });

  it("deletes a job with its files", async () => {
    const done = await waitForStatus(ada, (await generate(ada)).job_id, ["completed"]);
    const folder = path.join(inject("dataDir"), "files", "users", ada.id, "jobs", done.job_id);
    expect(existsSync(path.join(folder, "image.png"))).toBe(true);
    expect(existsSync(path.join(folder, "thumbnail.webp"))).toBe(true);
    const res = await call(`/api/jobs/${done.job_id}`, { token: ada.token, method: "DELETE" });
    expect(res.status).toBe(200);
    expect(res.json.meta).toEqual({ code: 1, message: "Job deleted" });
    expect(existsSync(folder)).toBe(false);
    expect(await jobRow(done.job_id)).toBeUndefined();
    expect((await call(`/api/image-status/${done.job_id}`, { token: ada.token })).status).toBe(404);
    expect((await call(done.image_url, { token: ada.token })).status).toBe(404);
    expect((await call(`/api/jobs/${done.job_id}`, { token: ada.token, method: "DELETE" })).status).toBe(404);
  });
});

describe("listing", () => {
  it("pages newest first with an opaque keyset cursor, and filters by status", async () => {
    const carol = await createUser("carol");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await generate(carol, `list ${i}`)).job_id);
    ids.push((await generate(carol, "list fails [[fail]]")).job_id);
    for (const id of ids) await waitForStatus(carol, id, ["completed", "failed"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof call>> = await call(`/api/jobs?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: carol.token });
      expect(res.status).toBe(200);
      expect(res.json.data.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.data.jobs.map((j: { job_id: string }) => j.job_id));
      cursor = res.json.data.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const failedOnly = await call("/api/jobs?status=failed", { token: carol.token });
    expect(failedOnly.json.data.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([ids[5]]);
    const defaults = await call("/api/jobs", { token: carol.token });
    expect(defaults.json.data).toMatchObject({ next_cursor: null });
    expect(defaults.json.data.jobs.length).toBe(6);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["status=done", "status"],
    ["cursor=bm9wZQ", "cursor"],
  ])("answers 400 for %s", async (query, field) => {
    const res = await call(`/api/jobs?${query}`, { token: ada.token });
    expect(res.status).toBe(400);
    expect(res.json.meta.message).toContain(`"${field}"`);
    expect(res.json.meta.field).toBe(field);
  });
});

describe("compression", () => {
  // lib/http/envelope.ts: API answers go out as they are, pages are still gzipped.
  const raw = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl()}${path}`, { headers: { "accept-encoding": "gzip", ...headers } }).then(async (res) => ({
      encoding: res.headers.get("content-encoding"),
      cacheControl: res.headers.get("cache-control"),
      body: await res.text(),
    }));

  it("never gzips an API answer, small or large, success or error, to a client that accepts gzip", async () => {
    const dora = await createUser("dora");
    for (let i = 0; i < 12; i++) await generate(dora, `compression ${i}: ${"a long prompt that makes a long page ".repeat(8)}`);
    const auth = { authorization: `Bearer ${dora.token}` };
    const page = await raw("/api/jobs?limit=12", auth);
    expect(page.body.length).toBeGreaterThan(4096);
    for (const answer of [
      page,
      await raw("/api/jobs?limit=1", auth),
      await raw("/api/image-status/not-a-job", auth),
      await raw("/api/jobs"),
      await raw("/api/health/live"),
    ]) {
      expect(answer.encoding).toBeNull();
      expect(answer.cacheControl).toMatch(/(^|, )no-transform$/);
      expect(JSON.parse(answer.body)).toHaveProperty("meta");
    }
  });

  it("still gzips pages", async () => {
    expect((await raw("/login")).encoding).toBe("gzip");
  });
});

describe("the seed's paths and methods", () => {
  it("answers the /api/v1/.../ aliases exactly like the routes, without a redirect", async () => {
    const job = await waitForStatus(ada, (await generate(ada)).job_id, ["completed"]);
    for (const [alias, canonical] of [
      [`/api/v1/image-status/${job.job_id}/`, `/api/image-status/${job.job_id}`],
      ["/api/v1/jobs/?limit=3", "/api/jobs?limit=3"],
    ]) {
      const a = await call(alias!, { token: ada.token });
      const b = await call(canonical!, { token: ada.token });
      expect(a.status).toBe(200);
      expect(a.text).toBe(b.text);
    }
    const posted = await call("/api/v1/generate-image/", { token: ada.token, multipart: { prompt: "via the seed path" } });
    expect(posted.status).toBe(202);
    const failed = await waitForStatus(ada, (await generate(ada, "v1 retry [[fail]]")).job_id, ["failed"]);
    const retried = await call(`/api/v1/retry-job/${failed.job_id}/`, { token: ada.token, method: "POST" });
    expect(retried.status).toBe(202);
  });

  it.each([
    ["PUT", "/api/generate-image"],
    ["GET", "/api/generate-image"],
    ["POST", "/api/jobs"],
    ["PATCH", "/api/jobs"],
    ["DELETE", "/api/image-status/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/retry-job/00000000-0000-4000-8000-000000000000"],
    ["GET", "/api/register"],
  ])("answers %s %s with 405 in the envelope", async (method, path) => {
    const res = await call(path, { token: ada.token, method });
    expect(res.status).toBe(405);
    expect(res.json).toEqual(failure("Method not allowed"));
  });

  it("answers unknown API paths with a 404 envelope", async () => {
    const res = await call("/api/does-not-exist", { token: ada.token });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(failure("Not found"));
  });
});
