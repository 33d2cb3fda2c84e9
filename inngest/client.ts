// The Inngest client and the events Darkroom sends. Events carry only ids (and
// the time the job was queued, which tells a retry from a duplicate): the
// function reloads the job as its stored owner, so a forged event can never
// reach another person's job, and nothing in an event is trusted as content.
import { eventType, Inngest } from "inngest";
import { z } from "zod";

const DEFAULT_TIMEOUT_MS = 10_000;

// The SDK's own fetch has no deadline: a black-holed Inngest endpoint would
// hang the request that creates a job. Every call Darkroom makes to Inngest gets one.
const fetchWithTimeout: typeof fetch = (input, init) => {
  const ms = z.coerce
    .number()
    .int()
    .min(100)
    .catch(DEFAULT_TIMEOUT_MS)
    .parse(process.env.INNGEST_SEND_TIMEOUT_MS || DEFAULT_TIMEOUT_MS);
  const timeout = AbortSignal.timeout(ms);
  return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout }).catch((error: unknown) => {
    // Reported as the network failure it is (the SDK reads anything else as a misconfigured fetch).
    if (timeout.aborted) throw new TypeError(`fetch failed: no answer from Inngest within ${ms} ms`, { cause: error });
    throw error;
  });
};

// Keys, mode (INNGEST_DEV) and base URLs are read by the SDK from the same
// variables lib/env.ts validates at start-up.
export const inngest = new Inngest({ id: "darkroom", fetch: fetchWithTimeout });

const jobEvent = { jobId: z.uuid(), userId: z.uuid() };

export const imageRequested = eventType("darkroom/image.requested", {
  schema: z.object({ ...jobEvent, queuedAt: z.iso.datetime() }),
});

export const jobDeleted = eventType("darkroom/job.deleted", {
  schema: z.object(jobEvent),
});
