// Hands a job to the configured runner (lib/generation/runners.ts): in-process
// by default, Inngest when JOB_RUNNER=inngest. A dispatch that throws leaves
// the job for the caller to fail visibly (lib/jobs/service.ts marks it failed
// and answers 503).
import "server-only";
import { getRunner } from "./runners";
import type { JobRef } from "./workflow";

export async function dispatchJob(ref: JobRef): Promise<void> {
  await getRunner().dispatch(ref);
}

// Stops a deleted job's run (Inngest's cancelOn); a no-op for the embedded runner.
export async function announceJobDeleted(ref: JobRef): Promise<void> {
  await getRunner().cancel(ref);
}
