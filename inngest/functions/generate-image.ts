// The production runner: the same workflow as the embedded runner, executed
// by Inngest (durable steps, retries, per-person concurrency).
import { generateImageWorkflow, markJobFailed } from "@/lib/generation/workflow";
import { imageRequested, inngest, jobDeleted } from "../client";

export const generateImage = inngest.createFunction(
  {
    id: "generate-image",
    triggers: [imageRequested],
    retries: 3,
    // One person cannot starve the others: at most 2 of their jobs run at once.
    concurrency: [{ key: "event.data.userId", limit: 2 }],
    // A second delivery of the same job id within 24 h is dropped by Inngest;
    // the workflow's atomic claim drops any that still get through.
    idempotency: "event.data.jobId",
    cancelOn: [{ event: jobDeleted, if: "async.data.jobId == event.data.jobId" }],
    onFailure: async ({ event, error }) => {
      const data = event.data.event.data as { jobId: string; userId: string };
      await markJobFailed({ jobId: data.jobId, userId: data.userId }, error);
    },
  },
  async ({ event, step }) => generateImageWorkflow(step as never, { jobId: event.data.jobId, userId: event.data.userId }),
);

export const functions = [generateImage];
