// Runner selection, Inngest side: dispatchJob sends one event carrying only ids
// (and when the job was queued) to Inngest's event API, for the caller's own
// queued job only; a failed send throws in bounded time so nothing is lost silently.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser, type TestUser } from "../support/api";
import { closeSql, jobRow, sql } from "../support/db";
import { closedPort, type FakeInngest, startBlackHole, startFakeInngest } from "./fakes/inngest-api";
import { insertQueuedJob, useTestDatabase } from "./support/jobs";

let inngestApi: FakeInngest;
let ada: TestUser;
let bob: TestUser;
let dispatch: typeof import("@/lib/generation/dispatch");

beforeAll(async () => {
  inngestApi = await startFakeInngest();
  useTestDatabase({
    JOB_RUNNER: "inngest",
    INNGEST_EVENT_KEY: "test-event-key",
    INNGEST_SIGNING_KEY: "signkey-test-0123456789abcdef",
    INNGEST_BASE_URL: inngestApi.url,
    INNGEST_SEND_TIMEOUT_MS: "3000",
  });
  await registerInngestRunner();
  dispatch = await import("@/lib/generation/dispatch");
  [ada, bob] = await Promise.all([createUser("ada-dispatch"), createUser("bob-dispatch")]);
});
// What instrumentation.ts does at start-up: lib/ never imports inngest/, so the Inngest runner registers itself.
async function registerInngestRunner() {
  const [{ registerRunner }, { inngestRunner }] = await Promise.all([import("@/lib/generation/runners"), import("@/inngest/runner")]);
  registerRunner(inngestRunner);
}

afterAll(async () => {
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
  await closeSql();
  await inngestApi.close();
});

describe("JOB_RUNNER=inngest", () => {
  it("sends darkroom/image.requested with the job's ids, and leaves the job queued for Inngest", async () => {
    const job = await insertQueuedJob(ada.id);
    inngestApi.calls.length = 0;
    await dispatch.dispatchJob(job);
    expect(inngestApi.calls).toHaveLength(1);
    expect(inngestApi.calls[0]!.path).toBe("/e/test-event-key");
    const [event] = inngestApi.events();
    expect(event).toMatchObject({
      name: "darkroom/image.requested",
      id: `image-requested-${job.jobId}-${job.updatedAt.getTime()}`,
      data: { jobId: job.jobId, userId: ada.id, queuedAt: job.updatedAt.toISOString() },
    });
    expect(Object.keys(event.data).sort()).toEqual(["jobId", "queuedAt", "userId"]);
    expect((await jobRow(job.jobId))!.status).toBe("queued");
  });

  it("gives a repeated dispatch the same event id, and a retried job a new one", async () => {
    const job = await insertQueuedJob(ada.id);
    inngestApi.calls.length = 0;
    await dispatch.dispatchJob(job);
    await dispatch.dispatchJob(job);
    const [first, second] = inngestApi.events();
    expect(second.id).toBe(first.id);
    // Queued again, as retry-job does after a failure: a new queue time, a new event id.
    await sql()`update image_jobs set status = 'queued', updated_at = now() where id = ${job.jobId}`;
    await dispatch.dispatchJob(job);
    const third = inngestApi.events()[2];
    expect(third.id).not.toBe(first.id);
    expect(third.data.queuedAt).not.toBe(first.data.queuedAt);
  });

  it("sends nothing for a job that is not the caller's, or not queued", async () => {
    const job = await insertQueuedJob(ada.id);
    inngestApi.calls.length = 0;
    await dispatch.dispatchJob({ jobId: job.jobId, userId: bob.id });
    await sql()`update image_jobs set status = 'completed' where id = ${job.jobId}`;
    await dispatch.dispatchJob(job);
    expect(inngestApi.calls).toEqual([]);
  });

  it("announces a deleted job so its run is cancelled", async () => {
    inngestApi.calls.length = 0;
    const ref = { jobId: crypto.randomUUID(), userId: ada.id };
    await dispatch.announceJobDeleted(ref);
    expect(inngestApi.events()).toEqual([expect.objectContaining({ name: "darkroom/job.deleted", data: ref })]);
  });

  // A fresh dispatch module and client pick up the changed address (the SDK reads its env at construction).
  async function freshDispatch(vars: Record<string, string>) {
    Object.assign(process.env, vars);
    vi.resetModules();
    await registerInngestRunner();
    return import("@/lib/generation/dispatch");
  }

  it("throws, in bounded time, when Inngest cannot be reached", async () => {
    try {
      const fresh = await freshDispatch({ INNGEST_BASE_URL: `http://127.0.0.1:${await closedPort()}/` });
      const job = await insertQueuedJob(ada.id);
      const started = Date.now();
      await expect(fresh.dispatchJob(job)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await jobRow(job.jobId))!.status).toBe("queued"); // the caller (lib/jobs/service.ts) marks it failed
    } finally {
      process.env.INNGEST_BASE_URL = inngestApi.url;
    }
  });

  it("throws after INNGEST_SEND_TIMEOUT_MS when Inngest accepts the connection but never answers", async () => {
    const hole = await startBlackHole();
    try {
      const fresh = await freshDispatch({ INNGEST_BASE_URL: hole.url, INNGEST_SEND_TIMEOUT_MS: "500" });
      const job = await insertQueuedJob(ada.id);
      const started = Date.now();
      await expect(fresh.dispatchJob(job)).rejects.toThrow(/within 500 ms/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      process.env.INNGEST_BASE_URL = inngestApi.url;
      process.env.INNGEST_SEND_TIMEOUT_MS = "3000";
      await hole.close();
    }
  });
});
