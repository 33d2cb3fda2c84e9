// Live updates (GET /api/events, issue 12) keep the promise: a person's stream
// carries their own jobs only — never an event, id, progress or preview of
// anyone else's, whatever happens to those jobs — and it ends as soon as the
// credential it was opened with stops working.
//
// Runs its own server on the shared database (same secrets as the shared one, so
// the shared helpers' people and tokens work on both) with a short heartbeat and
// a visible render delay, so progress and previews can be watched.
import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { adminCli } from "../support/admin";
import { type Answer, call, createUser, failure, sessionCookie, type TestUser } from "../support/api";
import { closeSql, sql } from "../support/db";
import { type EventStream, openEvents } from "../support/events";
import { forgeToken, serverSecrets } from "../support/tokens";

let server: RunningServer;
let dataDir: string;
const streams: EventStream[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-events-"));
  await chmod(dataDir, 0o755);
  const secrets = serverSecrets();
  server = await startServer({
    port: testPort(71),
    env: {
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: dataDir,
      AUTH_SECRET: secrets.authSecret,
      API_TOKEN_SECRET: secrets.apiTokenSecret,
      DARKROOM_TEST_HOOKS: "true",
      JOB_RETRY_BASE_MS: "20",
      JOB_SWEEP_INTERVAL_MS: "3600000",
      DAILY_JOB_QUOTA: "10000",
      MAX_ACTIVE_JOBS_PER_USER: "1000",
      EVENTS_HEARTBEAT_MS: "250",
      LOCAL_RENDER_STEP_MS: "500",
    },
  });
});

afterAll(async () => {
  for (const s of streams) s.close();
  await server?.stop();
  await closeSql();
  await rm(dataDir, { recursive: true, force: true });
});

const at = (p: string, options: Parameters<typeof call>[1] = {}) => call(p, { base: server.url, ...options });
async function open(auth: Parameters<typeof openEvents>[1]): Promise<EventStream> {
  const stream = await openEvents(server.url, auth);
  streams.push(stream);
  if (stream.status === 200) await stream.waitFor((e) => e.event === "ready");
  return stream;
}
async function generateHere(person: TestUser, prompt: string): Promise<string> {
  const res = await at("/api/generate-image", { token: person.token, json: { prompt } });
  expect(res.status, res.text).toBe(202);
  return res.json.data.job_id;
}
const jobEvent = (id: string, status: string) => (e: { event: string; data: any }) => e.event === "job" && e.data.job_id === id && e.data.status === status;
const fingerprint = (res: Answer) => ({ status: res.status, headers: [...res.headers.entries()].filter(([k]) => k !== "date"), body: res.text });

describe("another person's stream never hears of your jobs", () => {
  it("through generation, progress, previews, failure, retry and deletion, by bearer and by cookie", async () => {
    const [ada, bob] = await Promise.all([createUser("ada-events"), createUser("bob-events")]);
    const adaStream = await open({ token: ada.token });
    const bobStreams = [await open({ token: bob.token }), await open({ cookie: await sessionCookie(bob) })];

    // Generation, watched live: progress moves, a preview appears, then it completes.
    const done = await generateHere(ada, "ada's secret lighthouse");
    await adaStream.waitFor(jobEvent(done, "completed"));
    const progress = adaStream.events.filter((e) => e.event === "progress" && e.data.job_id === done).map((e) => e.data);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ job_id: done, fraction: 1, step: 4, steps: 4 });
    const preview = adaStream.events.find((e) => e.event === "preview" && e.data.job_id === done);
    expect(preview?.data.url).toMatch(new RegExp(`^/api/jobs/${done}/preview\\?step=\\d$`));
    // Every event has an id, and the completed job has no progress or preview left.
    expect(adaStream.events.every((e) => /^\d+$/.test(e.id ?? ""))).toBe(true);
    const completed = adaStream.events.find(jobEvent(done, "completed"))!.data;
    expect(completed).toMatchObject({ progress: null, preview_url: null, image_url: `/api/images/${done}` });

    // Failure, then retry to completion.
    const failing = await generateHere(ada, "ada's secret failure [[fail]]");
    await adaStream.waitFor(jobEvent(failing, "failed"));
    expect((await at(`/api/retry-job/${failing}`, { method: "POST", token: ada.token })).status).toBe(202);
    await adaStream.waitFor((e) => jobEvent(failing, "completed")(e) && e.data.attempts >= 1);

    // Deletion: announced to the owner as {job_id, status: "deleted"}.
    expect((await at(`/api/jobs/${done}`, { method: "DELETE", token: ada.token })).status).toBe(200);
    const deleted = await adaStream.waitFor(jobEvent(done, "deleted"));
    expect(deleted.data).toEqual({ job_id: done, status: "deleted" });

    // Bob's streams work (his own job arrives, after all of the above)…
    const bobs = await generateHere(bob, "bob's own harbour");
    for (const s of bobStreams) await s.waitFor(jobEvent(bobs, "completed"));
    // …and carried nothing of Ada's: no event, id, progress or preview.
    for (const s of bobStreams) {
      for (const secret of [done, failing, ada.id, "ada's secret"]) expect(s.raw()).not.toContain(secret);
      expect(s.events.filter((e) => e.data.job_id !== undefined).every((e) => e.data.job_id === bobs)).toBe(true);
    }
  });

  it("sends nothing for a notification that names the wrong person (forged or misrouted)", async () => {
    const [ada, bob] = await Promise.all([createUser("ada-forged"), createUser("bob-forged")]);
    const adaJob = await generateHere(ada, "ada's unannounced job");
    const bobStream = await open({ token: bob.token });
    // As if the database had told Bob's process that Ada's job changed and was deleted, in Bob's name.
    for (const op of ["update", "delete"]) {
      await sql()`select pg_notify('darkroom_jobs', ${JSON.stringify({ user_id: bob.id, job_id: adaJob, op })})`;
    }
    const bobs = await generateHere(bob, "bob's control job");
    await bobStream.waitFor(jobEvent(bobs, "completed"));
    expect(bobStream.raw()).not.toContain(adaJob);
  });

  it("does not serve another person's preview: identical to a missing one", async () => {
    const [ada, bob] = await Promise.all([createUser("ada-preview"), createUser("bob-preview")]);
    const adaStream = await open({ token: ada.token });
    const id = await generateHere(ada, "ada's slow developing picture");
    const preview = await adaStream.waitFor((e) => e.event === "preview" && e.data.job_id === id);
    const mine = await at(preview.data.url, { token: ada.token });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("image/webp");
    expect(mine.headers.get("cache-control")).toBe("private, no-store");
    expect(mine.bytes.subarray(8, 12).toString()).toBe("WEBP");
    for (const auth of [{ token: bob.token }, { cookie: await sessionCookie(bob) }]) {
      const theirs = await at(`/api/jobs/${id}/preview`, auth);
      const missing = await at(`/api/jobs/${randomUUID()}/preview`, auth);
      expect(theirs.status).toBe(404);
      expect(theirs.json).toEqual(failure("Job not found"));
      expect(fingerprint(theirs)).toEqual(fingerprint(missing));
    }
    // Once the job is finished there is no preview, for its owner either.
    await adaStream.waitFor(jobEvent(id, "completed"));
    expect((await at(`/api/jobs/${id}/preview`, { token: ada.token })).status).toBe(404);
  });
});

describe("a stream ends when its credential stops working", () => {
  const endsSoon = async (stream: EventStream) => {
    await Promise.race([stream.closed, new Promise((_, reject) => setTimeout(() => reject(new Error("stream still open")), 5_000))]);
    expect(stream.events.at(-1)).toMatchObject({ event: "end", data: { reason: "credentials" } });
  };

  it("on sign out everywhere (bearer, cookie and API key streams alike)", async () => {
    const ada = await createUser("ada-revoked");
    const key = (await at("/api/account/keys", { token: ada.token, json: { name: "watcher", scopes: ["read"] } })).json.data.key;
    const cookie = await sessionCookie(ada);
    // Two streams per credential: those share their routine re-checks, never a revocation's.
    const opened = [
      await open({ token: ada.token }),
      await open({ token: ada.token }),
      await open({ cookie }),
      await open({ cookie }),
      await open({ token: key }),
    ];
    expect((await at("/api/account/sessions/revoke", { method: "POST", token: ada.token })).status).toBe(200);
    for (const s of opened) await endsSoon(s);
    expect((await openEvents(server.url, { token: ada.token })).status).toBe(401);
  });

  it("when its API key is revoked (and other streams of the person stay open)", async () => {
    const ada = await createUser("ada-key");
    const created = (await at("/api/account/keys", { token: ada.token, json: { name: "watcher", scopes: ["read"] } })).json.data;
    const byKey = await open({ token: created.key });
    const byToken = await open({ token: ada.token });
    expect((await at(`/api/account/keys/${created.id}`, { method: "DELETE", token: ada.token })).status).toBe(200);
    await endsSoon(byKey);
    await new Promise((r) => setTimeout(r, 600)); // two heartbeats
    expect(byToken.isClosed()).toBe(false);
  });

  it("when its access token expires", async () => {
    const ada = await createUser("ada-expiry");
    // Past its expiry by 28 s: still inside the verifier's 30 s allowance for clock skew, so
    // the stream opens, and must end about 2 s later when the allowance runs out too.
    const now = Math.floor(Date.now() / 1000);
    const stream = await open({ token: await forgeToken({ sub: ada.id, iatSeconds: now - 40, expSeconds: now - 28, iatMs: Date.now() }) });
    expect(stream.status).toBe(200);
    await Promise.race([stream.closed, new Promise((_, reject) => setTimeout(() => reject(new Error("stream still open")), 6_000))]);
    expect(stream.events.at(-1)).toMatchObject({ event: "end" });
  });

  it("when the account is disabled by an administrator", async () => {
    const [ada, admin] = await Promise.all([createUser("ada-disabled"), createUser("admin-events")]);
    expect((await adminCli("grant", admin.email)).code).toBe(0);
    const stream = await open({ token: ada.token });
    expect((await at(`/api/admin/users/${ada.id}/disable`, { method: "POST", token: admin.token })).status).toBe(200);
    await endsSoon(stream);
  });

  it("when the account is deleted", async () => {
    const ada = await createUser("ada-deleted");
    const stream = await open({ token: ada.token });
    expect((await at("/api/account", { method: "DELETE", token: ada.token, json: { password: ada.password } })).status).toBe(200);
    await endsSoon(stream);
  });

  it("refuses a key without the read scope, and anyone without a credential", async () => {
    const ada = await createUser("ada-scope");
    const key = (await at("/api/account/keys", { token: ada.token, json: { name: "maker", scopes: ["generate"] } })).json.data.key;
    expect((await openEvents(server.url, { token: key })).status).toBe(403);
    const anonymous = await openEvents(server.url, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toBe('{"meta":{"code":0,"message":"Authentication required"},"data":null}');
  });
});

describe("when the database connection drops", () => {
  it("the listener reconnects (and has every stream catch up from its watermark), and open streams keep receiving", async () => {
    const ada = await createUser("ada-reconnect");
    const stream = await open({ token: ada.token });
    // Every LISTEN connection on the database (this server's and the shared one's) is cut.
    const cut = await sql()`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%' and pid <> pg_backend_pid()`;
    expect(cut.length).toBeGreaterThan(0);
    // A change while the listener may be down, then one after: both arrive on the same stream.
    const first = await generateHere(ada, "changed around the outage");
    await stream.waitFor(jobEvent(first, "completed"), 20_000);
    const second = await generateHere(ada, "changed after the outage");
    await stream.waitFor(jobEvent(second, "completed"), 20_000);
    expect(stream.isClosed()).toBe(false);
    expect(server.output()).toContain("events_listener_reconnected");
  });
});

describe("limits and resume", () => {
  it("refuses a sixth open stream with 429 and Retry-After, and accepts one again after a stream closes", async () => {
    const ada = await createUser("ada-limit");
    const five = [];
    for (let i = 0; i < 5; i++) five.push(await open({ token: ada.token }));
    const sixth = await openEvents(server.url, { token: ada.token });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(JSON.parse(sixth.body)).toMatchObject({ meta: { code: 0 }, data: null });
    five[0]!.close();
    await expect
      .poll(async () => {
        const again = await openEvents(server.url, { token: ada.token });
        streams.push(again);
        return again.status;
      })
      .toBe(200);
  });

  it("re-sends, on reconnect with Last-Event-ID, a change made while disconnected", async () => {
    const ada = await createUser("ada-resume");
    const first = await open({ token: ada.token });
    const lastId = first.events.at(-1)!.id!;
    first.close();
    const id = await generateHere(ada, "made while nobody watched");
    await expect.poll(async () => (await at(`/api/jobs/${id}`, { token: ada.token })).json.data.status, { timeout: 20_000 }).toBe("completed");
    // Without Last-Event-ID a new stream starts from now…
    const fresh = await open({ token: ada.token });
    expect(fresh.events.some((e) => e.data.job_id === id)).toBe(false);
    fresh.close();
    // …with it, the change is re-sent.
    const resumed = await open({ token: ada.token, headers: { "last-event-id": lastId } });
    const event = await resumed.waitFor(jobEvent(id, "completed"));
    expect(Number(event.id)).toBeGreaterThanOrEqual(Number(lastId));
  });
});

// Last: it stops this file's server.
describe("shutdown", () => {
  it("ends every open stream with a shutdown event and lets the server stop", async () => {
    const ada = await createUser("ada-shutdown");
    const stream = await open({ token: ada.token });
    const started = Date.now();
    await server.stop();
    await stream.closed;
    expect(stream.events.at(-1)).toMatchObject({ event: "end", data: { reason: "shutdown" } });
    expect(server.process.exitCode ?? server.process.signalCode).not.toBeNull();
    expect(server.process.signalCode).not.toBe("SIGKILL");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
