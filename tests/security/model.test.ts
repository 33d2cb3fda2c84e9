// Model-based test: random sequences of register, generate (succeeding or
// failing), retry, delete, list and read by random identities, checked after
// every step against a model of who owns what.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, createUser, type TestUser, waitForStatus } from "../support/api";

type Model = { users: TestUser[]; jobs: { id: string; owner: number; status: "completed" | "failed" }[] };
type Real = { users: TestUser[] };

const pickJob = (m: Model, n: number) => (m.jobs.length === 0 ? undefined : m.jobs[n % m.jobs.length]);
const who = (m: Model, n: number) => n % m.users.length;
const notFound = '{"meta":{"code":0,"message":"Job not found"},"data":null}';

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
    const prompt = `model ${randomUUID()}${this.fails ? " [[fail]]" : ""}`;
    const res = await call("/api/generate-image", { token: m.users[owner]!.token, json: { prompt } });
    expect(res.status).toBe(202);
    const done = await waitForStatus(m.users[owner]!, res.json.data.job_id, ["completed", "failed"]);
    expect(done.status).toBe(this.fails ? "failed" : "completed");
    m.jobs.push({ id: done.job_id, owner, status: done.status });
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
      expect((await waitForStatus(m.users[caller]!, job.id, ["completed", "failed"])).status).toBe("completed");
      job.status = "completed";
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
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (cmds) => {
        const users = [await createUser("model-a"), await createUser("model-b")];
        await fc.asyncModelRun(() => ({ model: { users: [...users], jobs: [] }, real: { users } }), cmds);
      }),
      { numRuns: 20, seed: Number(process.env.MODEL_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
  }, 240_000);
});
