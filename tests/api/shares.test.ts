// The promise for share links (issue 13): a link shows exactly its image or
// collection to anyone holding it, and nothing else of the owner's; unknown,
// expired and revoked links are one byte-identical 404; revoking, deleting the
// object or the account ends a link at once; another person's image,
// collection or share is answered exactly like a missing one; views are counted
// and logged without anything about the viewer.
import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { startServer } from "../setup/spawn-server";
import { type Answer, call, createUser, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";
import { pngChunks } from "../support/png";

let ada: TestUser;
let bob: TestUser;
let adaCookie: string;
let adaJob: any;
let adaOther: any;
let bobJob: any;
const tag = randomUUID().slice(0, 8);

const done = async (user: TestUser, prompt: string, extra: Record<string, string> = {}) =>
  waitForStatus(user, (await generate(user, prompt, extra)).job_id, ["completed"]);
const share = async (user: TestUser, body: Record<string, unknown>) => {
  const res = await call("/api/shares", { token: user.token, json: body });
  expect(res.status, res.text).toBe(201);
  return res.json.data as { share_id: string; url: string; expires_at: string; view_count: number };
};
const pathOf = (url: string) => new URL(url).pathname;
// Every header that could tell two answers apart, except the date (share routes
// keep their own fixed CSP: proxy.ts adds no per-request nonce under /s/).
const fingerprint = (res: Answer) => ({
  status: res.status,
  headers: [...res.headers.entries()].filter(([k]) => k !== "date"),
  body: res.text,
});

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-share"), createUser("bob-share")]);
  adaCookie = await sessionCookie(ada);
  adaJob = await done(ada, `a white lighthouse ${tag}`, { n: "2", negative_prompt: "fog" });
  adaOther = await done(ada, `ada's private diary page ${tag}`);
  bobJob = await done(bob, `bob's red barn ${tag}`);
});
afterAll(closeSql);

describe("what a link shows", () => {
  it("shows the shared image to an anonymous browser, without prompt or name unless asked, with private, noindex, no-referrer headers", async () => {
    const image = adaJob.images[1];
    const created = await share(ada, { image_id: image.image_id });
    expect(created.url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const page = await call(pathOf(created.url));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(page.headers.get("x-robots-tag")).toContain("noindex");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.text).not.toContain("<script");
    for (const secret of ["lighthouse", "fog", "ada-share", ada.id, adaJob.job_id, image.image_id, "diary", adaOther.job_id])
      expect(page.text).not.toContain(secret);
    expect(page.text).toContain(`${pathOf(created.url)}/image/0`);

    const file = await call(`${pathOf(created.url)}/image/0`);
    expect(file.status).toBe(200);
    expect(file.headers.get("cache-control")).toBe("private, no-store");
    expect(file.headers.get("x-robots-tag")).toContain("noindex");
    expect(file.headers.get("referrer-policy")).toBe("no-referrer");
    // The very bytes the owner downloads (no parameters), which carry no metadata chunk at all.
    const own = await call(`/api/images/${image.image_id}`, { token: ada.token });
    expect(file.bytes.equals(own.bytes)).toBe(true);
    const types = pngChunks(file.bytes).map((c) => c.type);
    expect(types.filter((t) => ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"].includes(t))).toEqual([]);
    expect((await call(`${pathOf(created.url)}/thumbnail/0`)).status).toBe(200);
    // Only the one image: not the job's other image.
    expect((await call(`${pathOf(created.url)}/image/1`)).status).toBe(404);
  });

  it("adds the prompt and settings only with include_parameters, and the owner's name only with show_name", async () => {
    const created = await share(ada, { image_id: adaJob.images[0].image_id, include_parameters: true, show_name: true });
    const page = await call(pathOf(created.url));
    expect(page.text).toContain(`a white lighthouse ${tag}`);
    expect(page.text).toContain("fog");
    expect(page.text).toContain("Shared by ada-share");
  });

  it("shows a collection's images in order and nothing else of the owner's", async () => {
    const collection = (await call("/api/collections", { token: ada.token, json: { name: `Coast ${tag}`, description: "sea things" } })).json.data;
    for (const image of [adaJob.images[1], adaJob.images[0]])
      expect((await call(`/api/collections/${collection.collection_id}/images`, { token: ada.token, json: { image_id: image.image_id } })).status).toBe(201);
    const created = await share(ada, { collection_id: collection.collection_id });
    const base = pathOf(created.url);
    const page = await call(base);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Coast ${tag}`);
    expect(page.text).toContain("2 images");
    expect(page.text).not.toContain("lighthouse");
    const own = await Promise.all([adaJob.images[1], adaJob.images[0]].map((i: any) => call(`/api/images/${i.image_id}`, { token: ada.token })));
    expect((await call(`${base}/image/0`)).bytes.equals(own[0]!.bytes)).toBe(true);
    expect((await call(`${base}/image/1`)).bytes.equals(own[1]!.bytes)).toBe(true);
    expect((await call(`${base}/image/2`)).status).toBe(404);
  });
});

describe("not yours = does not exist", () => {
  const bobRows = async () => ({ shares: await sql()`select * from shares where user_id = ${bob.id} order by id` });

  it("answers sharing another person's image or collection exactly like a missing one, and makes no share", async () => {
    const bobCollection = (await call("/api/collections", { token: bob.token, json: { name: "bob's" } })).json.data.collection_id;
    const before = await bobRows();
    const adaBefore = (await sql()`select count(*)::int as n from shares where user_id = ${ada.id}`)[0]!.n;
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      const theirs = await call("/api/shares", { ...auth, json: { image_id: bobJob.images[0].image_id } });
      const missing = await call("/api/shares", { ...auth, json: { image_id: randomUUID() } });
      const malformed = await call("/api/shares", { ...auth, json: { image_id: "nope" } });
      expect(theirs.status).toBe(404);
      expect(fingerprint(theirs)).toEqual(fingerprint(missing));
      expect(fingerprint(theirs)).toEqual(fingerprint(malformed));
      const theirCollection = await call("/api/shares", { ...auth, json: { collection_id: bobCollection } });
      const missingCollection = await call("/api/shares", { ...auth, json: { collection_id: randomUUID() } });
      expect(theirCollection.status).toBe(404);
      expect(fingerprint(theirCollection)).toEqual(fingerprint(missingCollection));
    }
    expect(await bobRows()).toEqual(before);
    expect((await sql()`select count(*)::int as n from shares where user_id = ${ada.id}`)[0]!.n).toBe(adaBefore);
  });

  it("never lists or revokes another person's share: their id is a missing one, and their link keeps working", async () => {
    const bobs = await share(bob, { image_id: bobJob.images[0].image_id });
    const list = await call("/api/shares", { token: ada.token });
    expect(list.text).not.toContain(bobs.share_id);
    const theirs = await call(`/api/shares/${bobs.share_id}`, { method: "DELETE", token: ada.token });
    const missing = await call(`/api/shares/${randomUUID()}`, { method: "DELETE", token: ada.token });
    expect(theirs.status).toBe(404);
    expect(fingerprint(theirs)).toEqual(fingerprint(missing));
    expect((await call(pathOf(bobs.url))).status).toBe(200);
  });
});

describe("ending a link", () => {
  const notFound = async () => call(`/s/${"A".repeat(43)}`);

  it("answers unknown, malformed, expired and revoked links with one byte-identical 404, on the page and the image routes", async () => {
    const expired = await share(ada, { image_id: adaJob.images[0].image_id });
    await sql()`update shares set expires_at = now() - interval '1 second' where id = ${expired.share_id}`;
    const revoked = await share(ada, { image_id: adaJob.images[0].image_id });
    expect((await call(`/api/shares/${revoked.share_id}`, { method: "DELETE", token: ada.token })).status).toBe(200);
    const unknown = await notFound();
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("cache-control")).toBe("private, no-store");
    expect(unknown.headers.get("x-robots-tag")).toContain("noindex");
    for (const suffix of ["", "/image/0", "/thumbnail/0"]) {
      const base = (await call(`/s/${"A".repeat(43)}${suffix}`)) as Answer;
      for (const path of [`${pathOf(expired.url)}${suffix}`, `${pathOf(revoked.url)}${suffix}`, `/s/short${suffix}`]) {
        const res = await call(path);
        expect(fingerprint(res), path).toEqual(fingerprint(base));
      }
      expect(fingerprint(base)).toEqual(fingerprint(unknown));
    }
  });

  it("ends a link at once when its job, its collection or its owner's account is deleted", async () => {
    const carol = await createUser("carol-share");
    const job = await done(carol, `carol's picture ${tag}`);
    const byJob = await share(carol, { image_id: job.images[0].image_id });
    const collection = (await call("/api/collections", { token: carol.token, json: { name: "carol's" } })).json.data.collection_id;
    const byCollection = await share(carol, { collection_id: collection });
    const job2 = await done(carol, `carol's second ${tag}`);
    const byAccount = await share(carol, { image_id: job2.images[0].image_id });
    for (const s of [byJob, byCollection, byAccount]) expect((await call(pathOf(s.url))).status).toBe(200);

    expect((await call(`/api/jobs/${job.job_id}`, { method: "DELETE", token: carol.token })).status).toBe(200);
    expect(fingerprint(await call(pathOf(byJob.url)))).toEqual(fingerprint(await notFound()));
    expect((await call(`${pathOf(byJob.url)}/image/0`)).status).toBe(404);
    expect((await call(`/api/collections/${collection}`, { method: "DELETE", token: carol.token })).status).toBe(200);
    expect(fingerprint(await call(pathOf(byCollection.url)))).toEqual(fingerprint(await notFound()));
    expect((await call("/api/account", { method: "DELETE", token: carol.token, json: { password: carol.password } })).status).toBe(200);
    expect(fingerprint(await call(pathOf(byAccount.url)))).toEqual(fingerprint(await notFound()));
    expect((await sql()`select count(*)::int as n from shares where user_id = ${carol.id}`)[0]!.n).toBe(0);
  });
});

describe("counting and the owner's list", () => {
  it("counts each page view and logs it to the owner's activity with the time only; the list shows counts and never the link", async () => {
    const created = await share(ada, { image_id: adaJob.images[0].image_id, expires_in_hours: 2 });
    expect(new Date(created.expires_at).getTime() - Date.now()).toBeGreaterThan(7_000_000);
    expect(new Date(created.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(7_200_000);
    for (let i = 0; i < 3; i++)
      await call(pathOf(created.url), {
        headers: { "user-agent": "viewer-agent-xyz", "x-forwarded-for": "203.0.113.77", referer: "https://elsewhere.example/" },
      });
    // Image fetches are not views.
    await call(`${pathOf(created.url)}/image/0`);
    const list = await call("/api/shares", { token: ada.token });
    expect(list.status).toBe(200);
    const mine = list.json.data.shares.find((s: any) => s.share_id === created.share_id);
    expect(mine).toMatchObject({
      kind: "image",
      image_id: adaJob.images[0].image_id,
      view_count: 3,
      expired: false,
      include_parameters: false,
      show_name: false,
    });
    expect(list.text).not.toContain(pathOf(created.url));
    const activity = await call("/api/account/activity?limit=100", { cookie: adaCookie });
    const views = activity.json.data.events.filter((e: any) => e.event === "share_viewed" && e.detail.share_id === created.share_id);
    expect(views).toHaveLength(3);
    for (const v of views) expect(v.ip).toBeNull();
    expect(activity.text).not.toContain("viewer-agent-xyz");
    expect(activity.text).not.toContain("203.0.113.77");
    expect(activity.text).not.toContain("elsewhere.example");
    // Nothing about the viewer in the database either.
    const stored =
      await sql()`select count(*)::int as n from audit_events where user_id = ${ada.id} and (detail::text like '%viewer-agent%' or ip is not null and event = 'share_viewed')`;
    expect(stored[0]!.n).toBe(0);
  });

  it("stores only a hash of the link", async () => {
    const created = await share(ada, { image_id: adaJob.images[0].image_id });
    const token = pathOf(created.url).slice(3);
    const rows = await sql()`select * from shares where id = ${created.share_id}`;
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("validates the request: exactly one object, hours within bounds", async () => {
    for (const body of [
      {},
      { image_id: adaJob.images[0].image_id, collection_id: randomUUID() },
      { image_id: adaJob.images[0].image_id, expires_in_hours: 0 },
    ]) {
      expect((await call("/api/shares", { token: ada.token, json: body })).status).toBe(400);
    }
  });

  it("lets API keys read shares with `read` and make or revoke them only with `generate`", async () => {
    const key = async (scopes: string[]) =>
      (await call("/api/account/keys", { token: ada.token, json: { name: `k ${scopes}`, scopes } })).json.data.key as string;
    const [reader, maker] = await Promise.all([key(["read"]), key(["generate"])]);
    expect((await call("/api/shares", { token: reader })).status).toBe(200);
    expect((await call("/api/shares", { token: reader, json: { image_id: adaJob.images[0].image_id } })).status).toBe(403);
    const made = await call("/api/shares", { token: maker, json: { image_id: adaJob.images[0].image_id } });
    expect(made.status).toBe(201);
    expect((await call(`/api/shares/${made.json.data.share_id}`, { method: "DELETE", token: reader })).status).toBe(403);
    expect((await call(`/api/shares/${made.json.data.share_id}`, { method: "DELETE", token: maker })).status).toBe(200);
  });
});

describe("rate limits", () => {
  it("limits share requests per trusted client address, unknown tokens included, with 429 and Retry-After", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-share-limits-"));
    await chmod(dataDir, 0o755);
    const server = await startServer({
      port: testPort(71),
      env: { DATABASE_URL: inject("databaseUrl"), DATA_DIR: dataDir, TRUSTED_PROXY_HOPS: "1", SHARE_REQUESTS_PER_ADDRESS_PER_MINUTE: "3" },
    });
    try {
      const created = await share(ada, { image_id: adaJob.images[0].image_id });
      const address = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
      const statuses: number[] = [];
      for (const p of [pathOf(created.url), `/s/${"B".repeat(43)}`, pathOf(created.url), pathOf(created.url)]) {
        const res = await call(p, { base: server.url, headers: { "x-forwarded-for": address } });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([200, 404, 200, 429]);
      // Another address is not held back by the first one.
      expect((await call(pathOf(created.url), { base: server.url, headers: { "x-forwarded-for": "192.0.2.9" } })).status).toBe(200);
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
