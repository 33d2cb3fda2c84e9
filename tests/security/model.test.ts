// Model-based test: random sequences of register, generate (succeeding or
// failing), retry, delete, list, read, favourite, collect and search by random
// identities, share and revoke links, checked after every step against a model
// of who owns what and which links are live.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, createUser, type TestUser, waitForStatus } from "../support/api";

type Job = { id: string; owner: number; status: "completed" | "failed"; word: string; image?: string; favourite: boolean };
type Collection = { id: string; owner: number; images: Set<string> };
type Share = { id: string; owner: number; path: string; image: string };
type Model = { users: TestUser[]; jobs: Job[]; collections: Collection[]; shares: Share[]; ended: string[] };
type Real = { users: TestUser[] };

const pickJob = (m: Model, n: number) => (m.jobs.length === 0 ? undefined : m.jobs[n % m.jobs.length]);
const who = (m: Model, n: number) => n % m.users.length;
const notFound = '{"meta":{"code":0,"message":"Job not found"},"data":null}';
const missing = (what: string) => `{"meta":{"code":0,"message":"${what} not found"},"data":null}`;

class Register implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.users.length < 4;
  async run(m: Model, r: Real) {
    const user = await createUser("model");
    m.users.push(user);
    r.users.push(user);
  }
  toString = () => "register";
}

class Generate implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: number,
    readonly fails: boolean,
  ) {}
  check = () => true;
  async run(m: Model) {
    const owner = who(m, this.user);
    // One word of its own (letters and digits), for the search command to find it by.
    const word = `w${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const prompt = `model ${word}${this.fails ? " [[fail]]" : ""}`;
    const res = await call("/api/generate-image", { token: m.users[owner]!.token, json: { prompt } });
    expect(res.status).toBe(202);
    const done = await waitForStatus(m.users[owner]!, res.json.data.job_id, ["completed", "failed"]);
    expect(done.status).toBe(this.fails ? "failed" : "completed");
    m.jobs.push({ id: done.job_id, owner, status: done.status, word, image: done.images[0]?.image_id, favourite: false });
  }
  toString = () => `generate(user ${this.user}, fails ${this.fails})`;
}

class Read implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly job: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const job = pickJob(m, this.job);
    const id = job?.id ?? randomUUID();
    const res = await call(`/api/image-status/${id}`, { token: m.users[caller]!.token });
    if (job && job.owner === caller) {
      expect(res.status).toBe(200);
      expect(res.json.data.status).toBe(job.status);
    } else {
      expect(res.status).toBe(404);
      expect(res.text).toBe(notFound);
    }
    const image = await call(`/api/images/${id}`, { token: m.users[caller]!.token });
    expect(image.status).toBe(job && job.owner === caller && job.status === "completed" ? 200 : 404);
  }
  toString = () => `read(caller ${this.caller}, job ${this.job})`;
}

class Retry implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly job: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const job = pickJob(m, this.job);
    const res = await call(`/api/retry-job/${job?.id ?? randomUUID()}`, { token: m.users[caller]!.token, method: "POST" });
    if (!job || job.owner !== caller) {
      expect(res.status).toBe(404);
      expect(res.text).toBe(notFound);
    } else if (job.status === "failed") {
      expect(res.status).toBe(202);
      const done = await waitForStatus(m.users[caller]!, job.id, ["completed", "failed"]);
      expect(done.status).toBe("completed");
      job.status = "completed";
      job.image = done.images[0].image_id;
    } else {
      expect(res.status).toBe(409);
    }
  }
  toString = () => `retry(caller ${this.caller}, job ${this.job})`;
}

class Delete implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly job: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const job = pickJob(m, this.job);
    const res = await call(`/api/jobs/${job?.id ?? randomUUID()}`, { token: m.users[caller]!.token, method: "DELETE" });
    if (job && job.owner === caller) {
      expect(res.status).toBe(200);
      m.jobs.splice(m.jobs.indexOf(job), 1);
      // Its links end with it.
      for (const share of m.shares.filter((x) => x.image === job.image)) {
        m.shares.splice(m.shares.indexOf(share), 1);
        m.ended.push(share.path);
      }
      // Its images leave every collection (the collections stay).
      for (const c of m.collections) if (job.image) c.images.delete(job.image);
    } else {
      expect(res.status).toBe(404);
      expect(res.text).toBe(notFound);
    }
  }
  toString = () => `delete(caller ${this.caller}, job ${this.job})`;
}

class List implements fc.AsyncCommand<Model, Real> {
  constructor(readonly caller: number) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const res = await call("/api/jobs?limit=100", { token: m.users[caller]!.token });
    expect(res.status).toBe(200);
    const listed = res.json.data.jobs.map((j: { job_id: string; status: string }) => `${j.job_id}:${j.status}`).sort();
    const expected = m.jobs
      .filter((j) => j.owner === caller)
      .map((j) => `${j.id}:${j.status}`)
      .sort();
    expect(listed).toEqual(expected);
  }
  toString = () => `list(caller ${this.caller})`;
}

class Anonymous implements fc.AsyncCommand<Model, Real> {
  constructor(readonly job: number) {}
  check = () => true;
  async run(m: Model) {
    const id = pickJob(m, this.job)?.id ?? randomUUID();
    for (const [method, path] of [
      ["GET", `/api/image-status/${id}`],
      ["DELETE", `/api/jobs/${id}`],
      ["GET", "/api/jobs"],
    ] as const) {
      expect((await call(path, { method })).status).toBe(401);
    }
  }
  toString = () => `anonymous(job ${this.job})`;
}

// Star or unstar image 0 of a job (addressed by the job's id, as /api/images/[id] allows).
class Favourite implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly job: number,
    readonly on: boolean,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const job = pickJob(m, this.job);
    const res = await call(`/api/images/${job?.id ?? randomUUID()}/favourite`, { token: m.users[caller]!.token, method: this.on ? "PUT" : "DELETE" });
    if (job && job.owner === caller && job.status === "completed") {
      expect(res.status).toBe(200);
      job.favourite = this.on;
    } else {
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing("Image"));
    }
  }
  toString = () => `favourite(caller ${this.caller}, job ${this.job}, ${this.on})`;
}

// Add a job's first image to a collection (the caller's first, made if need be, or anyone's).
class Collect implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly collection: number,
    readonly job: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const token = m.users[caller]!.token;
    if (!m.collections.some((c) => c.owner === caller)) {
      const res = await call("/api/collections", { token, json: { name: "model" } });
      expect(res.status).toBe(201);
      m.collections.push({ id: res.json.data.collection_id, owner: caller, images: new Set() });
    }
    const collection = m.collections[this.collection % m.collections.length]!;
    const job = pickJob(m, this.job);
    const image = job?.image ?? randomUUID();
    const res = await call(`/api/collections/${collection.id}/images`, { token, json: { image_id: image } });
    if (collection.owner !== caller) {
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing("Collection"));
    } else if (!job || job.owner !== caller || job.status !== "completed") {
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing("Image"));
    } else {
      expect(res.status).toBe(collection.images.has(image) ? 200 : 201);
      collection.images.add(image);
    }
    const shown = await call(`/api/collections/${collection.id}`, { token });
    if (collection.owner === caller) {
      expect(shown.json.data.images.map((i: { image_id: string }) => i.image_id).sort()).toEqual([...collection.images].sort());
    } else {
      expect(shown.text).toBe(missing("Collection"));
    }
  }
  toString = () => `collect(caller ${this.caller}, collection ${this.collection}, job ${this.job})`;
}

// Search by a job's own word, and list the caller's favourites.
class Search implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly job: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const token = m.users[caller]!.token;
    const job = pickJob(m, this.job);
    const ids = async (query: string) => {
      const res = await call(`/api/jobs?limit=100&${query}`, { token });
      expect(res.status).toBe(200);
      return res.json.data.jobs.map((j: { job_id: string }) => j.job_id).sort();
    };
    if (job) expect(await ids(`q=${job.word}`)).toEqual(job.owner === caller ? [job.id] : []);
    // The last word is a prefix: the first eight characters find it too.
    if (job) expect(await ids(`q=model+${job.word.slice(0, 8)}`)).toEqual(job.owner === caller ? [job.id] : []);
    const starred = m.jobs
      .filter((j) => j.owner === caller && j.favourite)
      .map((j) => j.id)
      .sort();
    expect(await ids("favourite=1")).toEqual(starred);
  }
  toString = () => `search(caller ${this.caller}, job ${this.job})`;
}

// Every live link shows its image to anyone; every ended one is the same 404; each person lists exactly their own.
async function checkShares(m: Model) {
  const unknown = await call(`/s/${"A".repeat(43)}`);
  for (const share of m.shares) expect((await call(`${share.path}/image/0`)).status).toBe(200);
  for (const path of m.ended.slice(-3)) {
    const res = await call(path);
    expect(res.status).toBe(404);
    expect(res.text).toBe(unknown.text);
  }
  for (const [n, user] of m.users.entries()) {
    const res = await call("/api/shares", { token: user.token });
    expect(res.json.data.shares.map((x: { share_id: string }) => x.share_id).sort()).toEqual(
      m.shares
        .filter((x) => x.owner === n)
        .map((x) => x.id)
        .sort(),
    );
  }
}

// Share a job's first image (anyone's, or a made-up one).
class ShareImage implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly job: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const job = pickJob(m, this.job);
    const image = job?.image ?? randomUUID();
    const res = await call("/api/shares", { token: m.users[caller]!.token, json: { image_id: image } });
    if (job && job.owner === caller && job.status === "completed") {
      expect(res.status).toBe(201);
      m.shares.push({ id: res.json.data.share_id, owner: caller, path: new URL(res.json.data.url).pathname, image });
    } else {
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing("Image"));
    }
    await checkShares(m);
  }
  toString = () => `share(caller ${this.caller}, job ${this.job})`;
}

// Revoke a link (anyone's, or a made-up one).
class Revoke implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly caller: number,
    readonly share: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const caller = who(m, this.caller);
    const share = m.shares.length === 0 ? undefined : m.shares[this.share % m.shares.length];
    const res = await call(`/api/shares/${share?.id ?? randomUUID()}`, { token: m.users[caller]!.token, method: "DELETE" });
    if (share && share.owner === caller) {
      expect(res.status).toBe(200);
      m.shares.splice(m.shares.indexOf(share), 1);
      m.ended.push(share.path);
    } else {
      expect(res.status).toBe(404);
      expect(res.text).toBe(missing("Share"));
    }
    await checkShares(m);
  }
  toString = () => `revoke(caller ${this.caller}, share ${this.share})`;
}

describe("a model of who owns what", () => {
  it("holds after every step of random command sequences", async () => {
    const idx = fc.nat({ max: 50 });
    const commands = [
      fc.constant(new Register()),
      fc.tuple(idx, fc.boolean()).map(([u, f]) => new Generate(u, f)),
      fc.tuple(idx, idx).map(([c, j]) => new Read(c, j)),
      fc.tuple(idx, idx).map(([c, j]) => new Retry(c, j)),
      fc.tuple(idx, idx).map(([c, j]) => new Delete(c, j)),
      idx.map((c) => new List(c)),
      idx.map((j) => new Anonymous(j)),
      fc.tuple(idx, idx, fc.boolean()).map(([c, j, on]) => new Favourite(c, j, on)),
      fc.tuple(idx, idx, idx).map(([c, k, j]) => new Collect(c, k, j)),
      fc.tuple(idx, idx).map(([c, j]) => new Search(c, j)),
      fc.tuple(idx, idx).map(([c, j]) => new ShareImage(c, j)),
      fc.tuple(idx, idx).map(([c, k]) => new Revoke(c, k)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (cmds) => {
        const users = [await createUser("model-a"), await createUser("model-b")];
        await fc.asyncModelRun(() => ({ model: { users: [...users], jobs: [], collections: [], shares: [], ended: [] }, real: { users } }), cmds);
      }),
      { numRuns: 20, seed: Number(process.env.MODEL_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
  }, 240_000);
});
