// One LISTEN connection per server process, fanning the database's change
// notifications out to the event streams open in this process (lib/events/stream.ts).
//
// Channels (both carry ids only, never content):
// - `darkroom_jobs`: `{user_id, job_id, op}` from the trigger on image_jobs
//   (migration 0010), sent at commit, whichever process or runner made the change
//   (the embedded runner, an Inngest function, a request on another instance).
// - `darkroom_credentials`: a person's id, from the paths that end credentials
//   (lib/auth/credential-notice.ts): their streams re-check theirs at once.
//
// A notification is only a hint: it reaches the streams of the person it names,
// and each stream re-reads the job as that person (withUser, row-level security)
// before it sends anything. So even a wrong or forged notification could never
// carry another person's data into a stream.
import "server-only";
import type postgres from "postgres";
import { databaseUrl } from "@/db/client";
import { connectPostgres } from "@/db/url";
import { isUuid } from "@/lib/ids";
import { errorText, logger } from "@/lib/log";

export const JOBS_CHANNEL = "darkroom_jobs";
export const CREDENTIALS_CHANNEL = "darkroom_credentials";

export type JobChange = { jobId: string; op: "insert" | "update" | "delete" };
export type Subscriber = {
  userId: string;
  onJob(change: JobChange): void;
  onCredentials(): void;
  // The listener (re)connected: notifications may have been missed meanwhile.
  onResync(): void;
  // The server is shutting down.
  onShutdown(): void;
};

type State = {
  subscribers: Map<string, Set<Subscriber>>;
  client?: postgres.Sql;
  ready?: Promise<void>;
  listens: number;
};

// On globalThis: Next bundles route handlers separately, and every bundle must
// share the one connection and the one registry of this process.
const holder = globalThis as unknown as { __darkroomEvents?: State };
const state = (): State => (holder.__darkroomEvents ??= { subscribers: new Map(), listens: 0 });

function parseJobChange(payload: string): ({ userId: string } & JobChange) | null {
  try {
    const { user_id, job_id, op } = JSON.parse(payload) as Record<string, unknown>;
    if (!isUuid(user_id) || !isUuid(job_id) || (op !== "insert" && op !== "update" && op !== "delete")) return null;
    return { userId: user_id.toLowerCase(), jobId: job_id.toLowerCase(), op };
  } catch {
    return null;
  }
}

function each(userId: string, fn: (s: Subscriber) => void): void {
  for (const subscriber of state().subscribers.get(userId) ?? []) {
    try {
      fn(subscriber);
    } catch (error) {
      logger.warn({ event: "events_fanout_failed", error: errorText(error) });
    }
  }
}

function onListen(): void {
  const s = state();
  s.listens += 1;
  // After a reconnect every stream catches up from its own watermark: whatever
  // changed while the connection was down was not announced to anyone.
  if (s.listens > 1) {
    logger.info({ event: "events_listener_reconnected" });
    for (const userId of s.subscribers.keys()) each(userId, (sub) => sub.onResync());
  }
}

async function connect(): Promise<void> {
  const s = state();
  // The runtime login role (db/roles.ts), as every connection of the app: LISTEN
  // needs no privilege at all, and on its own that role reads no table — not the
  // owner, not the migrations URL, nothing that could read a row if this
  // connection were ever misused. No SET ROLE is needed: it only listens.
  // A connection of its own (not the pool's): it is held for the process's life.
  const client = connectPostgres(databaseUrl(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  s.client = client;
  // postgres.js re-opens a dropped LISTEN connection and listens again by
  // itself, calling onListen each time (hence the resync above).
  await client.listen(
    JOBS_CHANNEL,
    (payload) => {
      const change = parseJobChange(payload);
      if (change) each(change.userId, (sub) => sub.onJob({ jobId: change.jobId, op: change.op }));
    },
    onListen,
  );
  await client.listen(
    CREDENTIALS_CHANNEL,
    (payload) => {
      if (isUuid(payload)) each(payload.toLowerCase(), (sub) => sub.onCredentials());
    },
    () => {},
  );
}

// Starts the listener once; a failed start is retried by the next stream.
export function ensureListening(): Promise<void> {
  const s = state();
  s.ready ??= connect().catch((error) => {
    logger.error({ event: "events_listener_failed", error: errorText(error) });
    const client = s.client;
    s.client = undefined;
    s.ready = undefined;
    void client?.end({ timeout: 1 }).catch(() => {});
    throw error;
  });
  return s.ready;
}

export function subscribe(subscriber: Subscriber): () => void {
  const { subscribers } = state();
  const set = subscribers.get(subscriber.userId) ?? new Set<Subscriber>();
  subscribers.set(subscriber.userId, set);
  set.add(subscriber);
  return () => {
    set.delete(subscriber);
    if (set.size === 0 && subscribers.get(subscriber.userId) === set) subscribers.delete(subscriber.userId);
  };
}

export const openStreams = (userId: string): number => state().subscribers.get(userId)?.size ?? 0;

// At shutdown (lib/boot.ts): every stream ends (clients reconnect to another
// instance, or to this one when it is back) and the LISTEN connection closes
// before the database does, instead of trying to reconnect to it.
export async function stopEvents(): Promise<void> {
  const s = state();
  for (const userId of [...s.subscribers.keys()]) each(userId, (sub) => sub.onShutdown());
  const client = s.client;
  s.client = undefined;
  s.ready = undefined;
  await client?.end({ timeout: 2 }).catch(() => {});
}
