// Live updates do not depend on the runner: the Inngest function, run here in
// the test process by @inngest/test's engine (no Inngest server can run here),
// renders a job while its owner's event stream is open on the shared server, a
// different process. Its writes reach the stream through the database's
// notifications alone — progress, a preview and completion — and another
// person's stream hears nothing.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, expect, it } from "vitest";
import { baseUrl, createUser, type TestUser } from "../support/api";
import { closeSql } from "../support/db";
import { type EventStream, openEvents } from "../support/events";
import { insertQueuedJob, useTestDatabase } from "./support/jobs";

let ada: TestUser;
let bob: TestUser;
const streams: EventStream[] = [];

beforeAll(async () => {
  // Time between the offline renderer's steps: without it, it shows no previews (nobody could watch them).
  useTestDatabase({ IMAGE_MODEL: "local/sketch", LOCAL_RENDER_STEP_MS: "50" });
  [ada, bob] = await Promise.all([createUser("ada-inngest-events"), createUser("bob-inngest-events")]);
});
afterAll(async () => {
  for (const s of streams) s.close();
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
  await closeSql();
});

it("delivers an Inngest run's progress, preview and completion to the owner's stream on another process, and nothing to anyone else", async () => {
  const adaStream = await openEvents(baseUrl(), { token: ada.token });
  const bobStream = await openEvents(baseUrl(), { token: bob.token });
  streams.push(adaStream, bobStream);
  for (const s of [adaStream, bobStream]) await s.waitFor((e) => e.event === "ready");

  const job = await insertQueuedJob(ada.id, { prompt: "rendered by the inngest function", style: "sketch" });
  const { generateImage } = await import("@/inngest/functions/generate-image");
  const event = { name: "darkroom/image.requested", data: { jobId: job.jobId, userId: ada.id, queuedAt: job.updatedAt.toISOString() } };
  const { result, error } = await new InngestTestEngine({ function: generateImage, events: [event] as [typeof event] }).execute();
  expect(error).toBeUndefined();
  expect(result).toEqual({ status: "completed" });

  await adaStream.waitFor((e) => e.event === "job" && e.data.job_id === job.jobId && e.data.status === "completed");
  expect(adaStream.events.some((e) => e.event === "progress" && e.data.job_id === job.jobId)).toBe(true);
  expect(adaStream.events.some((e) => e.event === "preview" && e.data.job_id === job.jobId)).toBe(true);
  expect(bobStream.raw()).not.toContain(job.jobId);
});
