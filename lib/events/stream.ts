// One person's server-sent event stream (GET /api/events).
//
// Isolation: a stream subscribes to notifications naming its own person only
// (lib/events/listener.ts), and a notification is just "this job changed": the
// stream re-reads the job as its person (withUser, row-level security) and sends
// what that read returns. A job that read does not find is sent as deleted only
// if this stream already knew it as the person's own (read under the same rules),
// so not even an id can reach a stream that did not already belong to it.
//
// Credentials: the stream's own credential (the request's cookie, bearer or API
// key) is re-checked at every heartbeat and at once when any credential of the
// person ends (a `darkroom_credentials` notification): expiry, sign-out
// everywhere, a disabled or deleted account or a revoked key close the stream.
//
// Events (each with an `id:`, the stream's watermark, see below):
//   ready     {}                                  once, when the stream is live
//   job       the public job, or {job_id, status: "deleted"}
//   progress  {job_id, fraction, step, steps}     while a job renders
//   preview   {job_id, url}                       a new preview of a rendering job
//   reset     {}                                  too much changed to replay: reload the list
//   end       {reason}                            "credentials" (it stopped working), "shutdown" or
//                                                 "unavailable"; the stream closes
//
// Resume: the id is a watermark, the database time (ms) up to which this stream
// has sent every job change. A reconnect with Last-Event-ID re-sends, as the
// person, every job whose updated_at is at or after it (less a 2 s margin for
// transactions that commit out of order). Not replayable: deletions (the row is
// gone) and intermediate progress (only each job's current state is re-sent).
import "server-only";
import { getEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { findJobFor, jobsChangedSince, recentJobIds } from "@/lib/jobs/service";
import { errorText, logger } from "@/lib/log";
import { ensureListening, type JobChange, openStreams, subscribe } from "./listener";

export const MAX_STREAMS_PER_PERSON = 5;
// How many of the person's newest jobs a stream may announce as deleted.
const KNOWN_JOBS = 1000;
const REPLAY_LIMIT = 500;
const REPLAY_MARGIN_MS = 2000;
// A client that stops reading is dropped rather than buffered without end.
const MAX_BUFFERED_BYTES = 1 << 20;

export function parseLastEventId(value: string | null): Date | undefined {
  if (!value || !/^\d{1,15}$/.test(value)) return undefined;
  const date = new Date(Number(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

type Sent = { updatedAt: string; step: number | null; previewUrl: string | null };

export type StreamOptions = {
  userId: string;
  lastEventId: string | null;
  // True while the credential the stream was opened with still works; `fresh`
  // after a revocation notice (never answered from a shared earlier check).
  stillValid: (fresh: boolean) => Promise<boolean>;
  // Aborted when the client goes away.
  signal: AbortSignal;
};

// Throws the 429 before anything is streamed; otherwise the stream, already subscribed.
export function openEventStream(options: StreamOptions): ReadableStream<Uint8Array> {
  const { userId } = options;
  if (openStreams(userId) >= MAX_STREAMS_PER_PERSON) {
    throw new RateLimitedError(`At most ${MAX_STREAMS_PER_PERSON} live update streams at once; close one first`, 30);
  }
  const encoder = new TextEncoder();
  const pending = new Set<string>();
  const sent = new Map<string, Sent>();
  const known = new Set<string>();
  let watermark = 0;
  let closed = false;
  let working = false;
  let ready = false;
  let resync = false;
  let checking = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const write = (text: string) => {
    if (closed) return;
    if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) return close();
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      close();
    }
  };
  const send = (event: string, data: unknown) => write(`event: ${event}\nid: ${watermark}\ndata: ${JSON.stringify(data)}\n\n`);

  const unsubscribe = subscribe({
    userId,
    onJob(change: JobChange) {
      // Coalesced: a burst of progress writes to one job is one re-read, and the
      // re-read alone decides what is sent (the operation is only a hint).
      pending.add(change.jobId);
      void work();
    },
    onCredentials: () => void recheck(true),
    onResync() {
      resync = true;
      void work();
    },
    onShutdown: () => close("shutdown"),
  });

  function close(reason?: string): void {
    if (closed) return;
    if (reason) write(`event: end\nid: ${watermark}\ndata: ${JSON.stringify({ reason })}\n\n`);
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    options.signal.removeEventListener("abort", onAbort);
    try {
      controller.close();
    } catch {}
  }
  const onAbort = () => close();

  async function recheck(fresh: boolean): Promise<void> {
    if (closed || (checking && !fresh)) return;
    checking = true;
    try {
      if (!(await options.stillValid(fresh))) close("credentials");
    } catch {
      close("credentials"); // fail closed
    } finally {
      checking = false;
    }
  }

  function sendJob(job: NonNullable<Awaited<ReturnType<typeof findJobFor>>>): void {
    known.add(job.job_id);
    watermark = Math.max(watermark, Date.parse(job.updated_at));
    const before = sent.get(job.job_id);
    if (before?.updatedAt !== job.updated_at) send("job", job);
    const step = job.progress?.step ?? null;
    if (job.progress && step !== before?.step) send("progress", { job_id: job.job_id, ...job.progress });
    if (job.preview_url && job.preview_url !== before?.previewUrl) send("preview", { job_id: job.job_id, url: job.preview_url });
    sent.set(job.job_id, { updatedAt: job.updated_at, step, previewUrl: job.preview_url });
  }

  async function replay(since: Date | undefined): Promise<void> {
    const { jobs, clock } = await jobsChangedSince(userId, since, REPLAY_LIMIT);
    for (const job of jobs) sendJob(job);
    if (jobs.length >= REPLAY_LIMIT) send("reset", {});
    watermark = Math.max(watermark, clock.getTime());
  }

  // One worker per stream: re-reads run one at a time, so events keep their order.
  async function work(): Promise<void> {
    if (working || !ready || closed) return;
    working = true;
    try {
      while (!closed && (resync || pending.size > 0)) {
        if (resync) {
          resync = false;
          await replay(new Date(watermark - REPLAY_MARGIN_MS));
          continue;
        }
        const jobId = pending.values().next().value as string;
        pending.delete(jobId);
        const job = await findJobFor(userId, jobId);
        if (job) sendJob(job);
        else if (known.has(jobId)) {
          // Deleted (or gone while we read): announced only for a job this stream knew as the person's.
          known.delete(jobId);
          sent.delete(jobId);
          send("job", { job_id: jobId, status: "deleted" });
        }
        // Otherwise not found as this person: nothing at all is sent, whoever's it is.
      }
    } catch (error) {
      logger.warn({ event: "events_stream_failed", error: errorText(error) });
      close("unavailable");
    } finally {
      working = false;
    }
  }

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      options.signal.addEventListener("abort", onAbort);
      if (options.signal.aborted) return close();
      write("retry: 3000\n\n");
      heartbeat = setInterval(() => {
        write(": heartbeat\n\n");
        void recheck(false);
      }, getEnv().EVENTS_HEARTBEAT_MS);
      try {
        await ensureListening();
        for (const id of await recentJobIds(userId, KNOWN_JOBS)) known.add(id);
        const since = parseLastEventId(options.lastEventId);
        await replay(since ? new Date(since.getTime() - REPLAY_MARGIN_MS) : undefined);
        ready = true;
        send("ready", {});
        void work();
      } catch (error) {
        logger.warn({ event: "events_stream_start_failed", error: errorText(error) });
        close("unavailable");
      }
    },
    cancel() {
      close();
    },
  });
}
