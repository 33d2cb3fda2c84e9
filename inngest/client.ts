// The Inngest client and the events Darkroom sends. Events carry only ids:
// the function reloads the job as its stored owner, so a forged event can
// never reach another person's job.
import { eventType, Inngest } from "inngest";
import { z } from "zod";

export const inngest = new Inngest({ id: "darkroom" });

export const imageRequested = eventType("darkroom/image.requested", {
  schema: z.object({ jobId: z.uuid(), userId: z.uuid() }),
});

export const jobDeleted = eventType("darkroom/job.deleted", {
  schema: z.object({ jobId: z.uuid(), userId: z.uuid() }),
});
