// Runner selection, default side: with JOB_RUNNER unset, dispatchJob hands the
// job to the in-process runner (which renders it here) and sends nothing anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../support/api";
import { closeSql, jobRow } from "../support/db";
import { type FakeInngest, startFakeInngest } from "./fakes/inngest-api";
import { insertQueuedJob, useTestDatabase } from "./support/jobs";

let inngestApi: FakeInngest;

beforeAll(async () => {
  inngestApi = await startFakeInngest();
  delete process.env.JOB_RUNNER;
  // Even if Inngest were reachable, the embedded runner must not talk to it.
  useTestDatabase({ INNGEST_BASE_URL: inngestApi.url, INNGEST_EVENT_KEY: "evt", INNGEST_SIGNING_KEY: "signkey-test-00" });
});
afterAll(async () => {
  const { getEmbeddedRunner } = await import("@/lib/generation/runner");
  getEmbeddedRunner().stop();
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
  await closeSql();
  await inngestApi.close();
});

describe("JOB_RUNNER unset (embedded)", () => {
  it("runs the job in this process and sends no event", async () => {
    const { getEnv } = await import("@/lib/env");
    expect(getEnv().JOB_RUNNER).toBe("embedded");
    const user = await createUser("embedded-dispatch");
    const job = await insertQueuedJob(user.id);
    const { dispatchJob, announceJobDeleted } = await import("@/lib/generation/dispatch");
    const { getEmbeddedRunner } = await import("@/lib/generation/runner");
    await dispatchJob(job);
    await getEmbeddedRunner().whenIdle();
    expect(await jobRow(job.jobId)).toMatchObject({ status: "completed", attempts: 1 });
    await announceJobDeleted(job);
    expect(inngestApi.calls).toEqual([]);
  });
});
