// Hands a job to the configured runner: in-process by default, Inngest in production.
import "server-only";
import { getEnv } from "@/lib/env";
import { getEmbeddedRunner } from "./runner";
import type { JobRef } from "./workflow";

export async function dispatchJob(ref: JobRef): Promise<void> {
  if (getEnv().JOB_RUNNER === "inngest") {
    const { inngest, imageRequested } = await import("@/inngest/client");
    await inngest.send(imageRequested.create({ jobId: ref.jobId, userId: ref.userId }));
    return;
  }
  getEmbeddedRunner().enqueue(ref);
}
