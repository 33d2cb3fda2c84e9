// The Inngest function, run by @inngest/test's engine in this process against
// the real database and storage (no Inngest server can run here): its
// configuration, the happy path, a forged event, failures and schema checks.
import { existsSync } from "node:fs";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUser, type TestUser } from "../support/api";
import { closeSql, jobRow } from "../support/db";
import { type FakeOpenAI, startFakeOpenAI } from "./fakes/openai-server";
import { insertQueuedJob, useTestDatabase } from "./support/jobs";

let fake: FakeOpenAI;
let ada: TestUser;
let bob: TestUser;
let mod: typeof import("@/inngest/functions/generate-image");
let client: typeof import("@/inngest/client");

beforeAll(async () => {
  fake = await startFakeOpenAI();
  useTestDatabase({ OPENAI_API_KEY: "sk-test-inngest-fn", OPENAI_BASE_URL: `${fake.url}/v1`, IMAGE_TIMEOUT_MS: "5000" });
  mod = await import("@/inngest/functions/generate-image");
  client = await import("@/inngest/client");
  [ada, bob] = await Promise.all([createUser("ada-fn"), createUser("bob-fn")]);
});
afterAll(async () => {
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
  await closeSql();
  await fake.close();
});

const eventFor = (job: { jobId: string; userId: string; updatedAt: Date }, userId = job.userId) => ({
  name: "darkroom/image.requested",
  data: { jobId: job.jobId, userId, queuedAt: job.updatedAt.toISOString() },
});

const run = (event: { name: string; data: Record<string, unknown> }) =>
  new InngestTestEngine({ function: mod.generateImage, events: [event] as [typeof event] }).execute();

describe("configuration", () => {
  it("retries 3 times, limits each person's concurrency, is idempotent per queued job and cancels on delete", () => {
    const opts = mod.generateImage.opts;
    expect(opts.id).toBe("generate-image");
    expect(opts.retries).toBe(3);
    expect(opts.concurrency).toEqual([{ key: "event.data.userId", limit: 2 }]);
    expect(opts.idempotency).toBe("event.data.jobId + '@' + event.data.queuedAt");
    expect(opts.cancelOn).toEqual([{ event: client.jobDeleted, if: "async.data.jobId == event.data.jobId && async.data.userId == event.data.userId" }]);
    expect(typeof opts.onFailure).toBe("function");
    expect(opts.triggers).toEqual([client.imageRequested]);
  });
});

describe("a run", () => {
  it("renders the job as its owner: claimed, attempted once, stored, completed", async () => {
    const job = await insertQueuedJob(ada.id, { prompt: "inngest happy path" });
    const { result, error } = await run(eventFor(job));
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "completed" });
    const row = await jobRow(job.jobId);
    expect(row).toMatchObject({ status: "completed", attempts: 1, error: null, content_type: "image/png" });
    const files = path.join(inject("dataDir"), "files", "users", ada.id, "jobs", job.jobId);
    expect(existsSync(path.join(files, "image.png"))).toBe(true);
    expect(existsSync(path.join(files, "thumbnail.webp"))).toBe(true);
  });

  it("renders through the job's hosted model and records the image's real size", async () => {
    fake.mode = "b64";
    const job = await insertQueuedJob(ada.id, { model: "openai:gpt-image-1", prompt: "hosted happy path" });
    expect((await run(eventFor(job))).result).toEqual({ status: "completed" });
    expect(await jobRow(job.jobId)).toMatchObject({ status: "completed", model: "openai:gpt-image-1", width: 96, height: 64, content_type: "image/png" });
  });

  it("does nothing to a job when the event names someone else as its owner", async () => {
    const job = await insertQueuedJob(ada.id, { prompt: "not bob's" });
    const before = await jobRow(job.jobId);
    const { result } = await run(eventFor(job, bob.id));
    expect(result).toEqual({ status: "skipped" });
    expect(await jobRow(job.jobId)).toEqual(before);
    expect(existsSync(path.join(inject("dataDir"), "files", "users", bob.id, "jobs", job.jobId))).toBe(false);
  });

  it("skips a job that is no longer queued (a duplicate delivery)", async () => {
    const job = await insertQueuedJob(ada.id);
    expect((await run(eventFor(job))).result).toEqual({ status: "completed" });
    expect((await run(eventFor(job))).result).toEqual({ status: "skipped" });
    expect((await jobRow(job.jobId))!.attempts).toBe(1);
  });
});

describe("failures", () => {
  it("stops at once on a refusal and onFailure gives the owner a readable reason", async () => {
    fake.mode = "content-policy";
    const job = await insertQueuedJob(ada.id, { model: "openai:gpt-image-1", prompt: "something refused" });
    const event = eventFor(job);
    const { error } = await run(event);
    expect(error).toMatchObject({ name: "DarkroomPermanentFailure", message: "OpenAI refused this prompt under its content policy" });
    // Inngest then calls onFailure with the original event and the serialised error.
    await mod.generateImage.opts.onFailure!({ event: { data: { event, error } }, error } as never);
    expect(await jobRow(job.jobId)).toMatchObject({ status: "failed", error: "OpenAI refused this prompt under its content policy", attempts: 1 });
  });

  it("lets Inngest retry a temporary failure, and ends failed with our words once retries run out", async () => {
    fake.mode = "server-error";
    const job = await insertQueuedJob(ada.id, { model: "openai:gpt-image-1" });
    const event = eventFor(job);
    const { error } = await run(event);
    // The step failed retryably: the run is not over yet, and the job is still processing.
    expect(error).toMatchObject({ name: "GenerationError", message: "OpenAI had a temporary failure; the job will be retried" });
    expect((await jobRow(job.jobId))!.status).toBe("processing");
    await mod.generateImage.opts.onFailure!({ event: { data: { event, error } }, error } as never);
    expect(await jobRow(job.jobId)).toMatchObject({ status: "failed", error: "OpenAI had a temporary failure; the job will be retried" });
  });

  it("shows the generic message for an internal error, never its text", async () => {
    const job = await insertQueuedJob(ada.id);
    const internal = Object.assign(new Error("connection to 10.0.0.5:5432 refused; password=hunter2"), { name: "PostgresError" });
    const event = eventFor(job);
    await mod.generateImage.opts.onFailure!({ event: { data: { event, error: internal } }, error: internal } as never);
    expect(await jobRow(job.jobId)).toMatchObject({ status: "failed", error: "Image generation failed because of an internal error" });
  });

  it("onFailure cannot fail someone else's job through a forged event", async () => {
    const job = await insertQueuedJob(ada.id);
    const forged = eventFor(job, bob.id);
    const error = { name: "GenerationError", message: "forged" };
    await mod.generateImage.opts.onFailure!({ event: { data: { event: forged, error } }, error } as never);
    expect(await jobRow(job.jobId)).toMatchObject({ status: "queued", error: null });
  });
});

describe("the event schema", () => {
  it("rejects events that are not {jobId, userId, queuedAt} with uuids, touching nothing", async () => {
    const job = await insertQueuedJob(ada.id);
    const before = await jobRow(job.jobId);
    for (const data of [
      { jobId: "not-a-uuid", userId: ada.id, queuedAt: job.updatedAt.toISOString() },
      { jobId: job.jobId, userId: "' or 1=1 --", queuedAt: job.updatedAt.toISOString() },
      { jobId: job.jobId, userId: ada.id },
    ]) {
      const { result, error } = await run({ name: "darkroom/image.requested", data });
      expect(result).toBeUndefined();
      expect(error).toBeDefined();
    }
    expect(await jobRow(job.jobId)).toEqual(before);
    await expect(client.imageRequested.create({ jobId: "x", userId: ada.id, queuedAt: "yesterday" }).validate()).rejects.toThrow();
  });
});
