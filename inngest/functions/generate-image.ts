// The production runner: the same workflow as the embedded runner (no second
// copy of its logic), executed by Inngest with durable steps, retries and a
// per-person concurrency limit. This file only adapts errors between the two.
import { NonRetriableError } from "inngest";
import { z } from "zod";
import { GenerationError } from "@/lib/generation/models/types";
import { describeFailure, generateImageWorkflow, isRetryable, type JobRef, markJobFailed, type StepRunner } from "@/lib/generation/workflow";
import { imageRequested, inngest, jobDeleted } from "../client";

// Read here rather than through getEnv(): this module is also loaded by `next build`.
// lib/env.ts validates the same variable (1–100) at start-up.
export const USER_CONCURRENCY = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .catch(2)
  .parse(process.env.INNGEST_USER_CONCURRENCY || 2);

// A refusal or an invalid request: Inngest must not retry it, and its message
// (ours, written for the job's owner) must survive serialisation to onFailure.
const PERMANENT = "DarkroomPermanentFailure";
class PermanentFailure extends NonRetriableError {
  constructor(message: string) {
    super(message);
    this.name = PERMANENT;
  }
}

function inngestSteps(step: { run: (id: string, fn: () => Promise<unknown>) => Promise<unknown> }): StepRunner {
  return {
    run: (id, fn) =>
      step.run(id, async () => {
        try {
          return await fn();
        } catch (error) {
          if (!isRetryable(error)) throw new PermanentFailure(describeFailure(error));
          throw error;
        }
      }) as never,
  };
}

// Inngest hands the final error back serialised: classes are lost, names and
// messages survive. Only our own two names carry a message meant for the owner;
// anything else becomes the generic internal-error text.
export function failureFromInngest(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const { name, message, cause } = current as { name?: unknown; message?: unknown; cause?: unknown };
    if ((name === PERMANENT || name === "GenerationError") && typeof message === "string") return new GenerationError(message, { retryable: false });
    current = cause;
  }
  return error;
}

const failedEventData = imageRequested.schema;

export const generateImage = inngest.createFunction(
  {
    id: "generate-image",
    triggers: [imageRequested],
    retries: 3,
    // One person cannot starve the others: at most N of their jobs run at once.
    concurrency: [{ key: "event.data.userId", limit: USER_CONCURRENCY }],
    // One run per job per time it was queued: a duplicated event is dropped for
    // 24 h, while retry-job (which queues the job again, at a new time) still runs.
    // The workflow's atomic queued→processing claim drops anything that gets through.
    idempotency: "event.data.jobId + '@' + event.data.queuedAt",
    // Deleting a job stops its run; the owner must match too.
    cancelOn: [{ event: jobDeleted, if: "async.data.jobId == event.data.jobId && async.data.userId == event.data.userId" }],
    onFailure: async ({ event, error }) => {
      const data = failedEventData.safeParse(event.data.event.data);
      if (!data.success) return; // not one of ours: nothing to mark
      const ref: JobRef = { jobId: data.data.jobId, userId: data.data.userId };
      // markJobFailed acts inside withUser(ref.userId): it can only touch that person's own job.
      await markJobFailed(ref, failureFromInngest(error));
    },
  },
  async ({ event, step }) => generateImageWorkflow(inngestSteps(step), { jobId: event.data.jobId, userId: event.data.userId }),
);

export const functions = [generateImage];
