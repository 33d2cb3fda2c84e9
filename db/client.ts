// The database client. It connects as the runtime login role (db/roles.ts):
// not superuser, not BYPASSRLS, owner of nothing, inheriting nothing. On its own
// that role can read no table at all (boot refuses to serve on a privileged one),
// so every query goes through one of the scoped helpers below:
// - `withUser(userId, fn)`: every query on a person's rows, their account row
//   included. Runs as `darkroom_app` with `app.user_id` set, so row-level security
//   returns only that person's rows even if a WHERE is forgotten.
// - `readAsUser(userId, build)`: the same scope for reads whose statements are
//   known up front: the whole transaction goes out in one write (one round trip).
// - `asApp(fn)`: `darkroom_app` with nobody set: sees no person's row; for the
//   sign-in lookup function, throttling state and the migrations count.
// - `asWorker` / `asAdmin`: the two narrow cross-user reads, fixed by column grants.
//
// Round trips (docs/performance.md). A scoped transaction is sent pipelined on
// one reserved connection: BEGIN, the scope's settings and the first statements
// leave in one socket write, and hot statements are prepared (named, parsed and
// planned once per connection). This is safe because every misordering fails
// closed: a statement that ran before BEGIN, or before the role was set, runs as
// the runtime role, which is refused every table ("permission denied"); with
// the role but no `app.user_id`, row-level security shows no row. The order is
// not left to luck either: postgres.js writes a connection's statements in the
// order they are issued, and they are issued here in order.

import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase, PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm/relations";
import postgres from "postgres";
import * as schema from "./schema";
import { connectPostgres } from "./url";

export type Database = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

type Holder = { client: postgres.Sql; db: Database; url: string };
const globalForDb = globalThis as unknown as { __darkroomDb?: Holder };

export function databaseUrl(): string {
  // DARKROOM_DATABASE_URL is set by the boot step to the runtime role's URL (the
  // embedded server's, or the unprivileged role made for a privileged DATABASE_URL).
  const url = process.env.DARKROOM_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) throw new Error("The database is not started (DATABASE_URL is unset and the embedded server is not running)");
  return url;
}

// Prepared statements, bounded. Drizzle asks postgres.js for an unnamed
// statement unless a query is given a name, and postgres.js then describes
// every parameterised statement in a round trip of its own before running it.
// Named statements are kept per connection by their text, so the app's fixed
// statements (all of the hot paths) are parsed and planned once per connection.
// Texts vary only with list lengths and filter combinations; the first
// PREPARED_TEXTS distinct texts are prepared, anything beyond runs unnamed, so
// the per-connection cache cannot grow without bound.
const PREPARED_TEXTS = 500;
const preparedTexts = new Set<string>();
function shouldPrepare(text: string): boolean {
  if (preparedTexts.has(text)) return true;
  if (preparedTexts.size >= PREPARED_TEXTS) return false;
  preparedTexts.add(text);
  return true;
}

type Unsafe = postgres.Sql["unsafe"];
// The face of a postgres.js client that Drizzle's session uses: statements
// prepared as above, and each one handed to its connection as soon as Drizzle
// creates it (postgres.js would otherwise wait for the first `then`), so the
// statements of a scope reach the connection in the order they were made.
// `issued` counts them for `readAsUser`.
function preparing<C extends { unsafe: Unsafe }>(client: C, issued?: () => void): C {
  const unsafe = ((text: string, params?: unknown[], options?: { prepare?: boolean }) => {
    const query = client.unsafe(text, params as never, { ...options, prepare: shouldPrepare(text) });
    query.execute();
    issued?.();
    return query;
  }) as Unsafe;
  return new Proxy(client, { get: (target, key) => (key === "unsafe" ? unsafe : Reflect.get(target, key)) });
}

// Kept on globalThis: Next bundles route handlers separately and dev reloads
// modules, and both must share one pool rather than leak connections.
function holder(): Holder {
  const url = databaseUrl();
  const existing = globalForDb.__darkroomDb;
  if (existing && existing.url === url) return existing;
  const client = connectPostgres(url, {
    // Read here, not through lib/env.ts: db/ must not import lib/ (lib/env.ts
    // validates DB_POOL_MAX at start-up, 1–100, before the first connection).
    max: Number(process.env.DB_POOL_MAX ?? 10),
    connect_timeout: 5,
    idle_timeout: 30,
    // No request waits on the database for ever: a slow statement or an
    // abandoned transaction is cut off and answered as an error.
    connection: { statement_timeout: 10_000, idle_in_transaction_session_timeout: 15_000 },
    onnotice: () => {},
  });
  const created = { client, db: drizzle(preparing(client), { schema }), url };
  globalForDb.__darkroomDb = created;
  return created;
}

// The bare runtime connection: without one of the helpers below it reads nothing.
export function systemDb(): Database {
  return holder().db;
}

export async function closeDatabase(): Promise<void> {
  const existing = globalForDb.__darkroomDb;
  globalForDb.__darkroomDb = undefined;
  await existing?.client.end({ timeout: 5 });
}

// The same pattern as lib/ids.ts, repeated on purpose: db/ must not import lib/.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Role = "darkroom_app" | "darkroom_worker" | "darkroom_admin";

// Built once: what Drizzle needs to run its query builders on a reserved connection.
export const dialect = new PgDialect();
const relational = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
const relationalSchema = { fullSchema: schema, schema: relational.tables, tableNamesMap: relational.tableNamesMap };

type ScopeClient = { unsafe: Unsafe };
const txOn = (client: ScopeClient): Tx =>
  new PostgresJsTransaction(dialect, new PostgresJsSession(client as never, dialect, relationalSchema, {}) as never, relationalSchema) as unknown as Tx;

// The connection of each open scope, for statements built once (db/prebuilt.ts):
// only a `tx` made here has one, so such a statement cannot run outside a scope.
const scopeClients = new WeakMap<Tx, ScopeClient>();
export const scopeClientOf = (tx: Tx): ScopeClient | undefined => scopeClients.get(tx);

// A query builder that can build statements but run none (db/prebuilt.ts builds on it).
export const templateTx = (): Tx =>
  txOn({
    unsafe: (() => {
      throw new Error("A statement built once runs only in a scope (db/prebuilt.ts)");
    }) as unknown as Unsafe,
  });

// Transaction-local settings (third argument true): they end with the
// transaction, so a pooled connection returns to the pool with no role and no
// user set. The texts are fixed (the role is a literal of this module, the
// user a parameter), so each is one prepared statement per connection.
const SCOPE_OF_USER = "select set_config('role', 'darkroom_app', true), set_config('app.user_id', $1, true)";
const SCOPE_OF_ROLE: Record<Role, string> = {
  darkroom_app: "select set_config('role', 'darkroom_app', true)",
  darkroom_worker: "select set_config('role', 'darkroom_worker', true)",
  darkroom_admin: "select set_config('role', 'darkroom_admin', true)",
};

// A transaction that ends in anything but COMMIT (a statement failed, even one
// whose error was caught) is an error, as with postgres.js's own `begin`.
async function commit(reserved: postgres.ReservedSql): Promise<void> {
  const result = await reserved.unsafe("commit", [], { prepare: true });
  if (result.command !== "COMMIT") throw new Error(`The transaction ended in ${result.command}, not COMMIT`);
}

// Gives the connection back only once no transaction is open on it: if even
// the rollback fails the connection is broken (postgres.js has closed it and
// will reconnect it) and it is not handed back.
async function rollbackAndRelease(reserved: postgres.ReservedSql): Promise<void> {
  const ended = await reserved.unsafe("rollback", [], { prepare: true }).then(
    () => true,
    () => false,
  );
  if (ended) reserved.release();
}

type Opened = { reserved: postgres.ReservedSql; tx: Tx; preamble: Promise<unknown>; closed: Promise<never>; isClosed: () => boolean; detach: () => void };

// A reserved connection that dies mid-transaction (the database restarted)
// rejects the statements it had sent, but postgres.js strands any it was still
// holding back for the pipeline: they would never settle, and a job or request
// awaiting them would hang for ever. postgres.js's own `begin` guards against
// this by racing the transaction with the connection's close; this does the
// same through `onexecute`, which hands over the connection when BEGIN is sent.
// A closed connection is already back in the pool's closed list (postgres.js
// reconnects it), so it is neither rolled back nor released here.
type Connection = { onclose?: ((error: unknown) => void) | null };
type CloseWatch = { onexecute: (connection: Connection) => boolean; closed: Promise<never>; isClosed: () => boolean; detach: () => void };

function watchClose(): CloseWatch {
  let reject!: (error: unknown) => void;
  let done = false;
  let watched: Connection | undefined;
  let handler: ((error: unknown) => void) | undefined;
  const closed = new Promise<never>((_, r) => {
    reject = r;
  });
  closed.catch(() => {});
  return {
    onexecute(connection) {
      watched = connection;
      handler = (error) => {
        done = true;
        reject(error instanceof Error ? error : new Error("The database connection closed during a transaction"));
      };
      connection.onclose = handler;
      // True: BEGIN does not hold the statements after it back from the pipeline.
      return true;
    },
    closed,
    isClosed: () => done,
    // Once the transaction is over, a later close of the pooled connection is none of its business.
    detach() {
      if (watched && watched.onclose === handler) watched.onclose = null;
    },
  };
}

// Reserves a connection and issues BEGIN and the scope's settings without
// waiting for them: the statements that follow join the same socket write.
async function open(setting: string, params: string[], issued?: () => void): Promise<Opened> {
  const reserved = await holder().client.reserve();
  const watch = watchClose();
  const begin = reserved.unsafe("begin", [], { prepare: true, onexecute: watch.onexecute } as postgres.UnsafeQueryOptions);
  const preamble = Promise.all([begin.execute(), reserved.unsafe(setting, params, { prepare: true }).execute()]);
  // A failure here also fails every statement after it (the transaction is
  // aborted, or the runtime role is refused): it is reported through those.
  preamble.catch(() => {});
  const client = preparing(reserved, issued);
  const tx = txOn(client);
  scopeClients.set(tx, client);
  return { reserved, tx, preamble, closed: watch.closed, isClosed: watch.isClosed, detach: watch.detach };
}

// Ends a transaction that failed: rolled back and handed back, unless its
// connection closed (then postgres.js has it already, see watchClose).
async function abandon(opened: Opened): Promise<void> {
  if (opened.isClosed()) return;
  await Promise.race([rollbackAndRelease(opened.reserved), opened.closed.catch(() => {})]);
  opened.detach();
}

// The last guard that a scoped transaction settles. Every statement is bounded
// by the server's statement_timeout (10 s), and a connection that dies is
// caught by watchClose; should postgres.js still strand a promise (a reserve
// queued behind connections that never come back, a statement held for a
// connection that is gone), the caller gets a "database unavailable" error
// (retried by the runner, a 503 for a request; the callers log its message)
// instead of waiting for ever, and the runner's sweep can pick the job up
// again. The transaction itself is left to finish on its own: its connection
// goes back to the pool only once its own statements have settled (as below),
// never while one of them could still run on it in someone else's scope. If it
// commits after all, that is a write whose answer was lost, as on a network
// error; the runner's steps and idempotency keys already expect those.
const TRANSACTION_DEADLINE_MS = 30_000;

class StrandedTransaction extends Error {
  readonly code = "CONNECTION_ENDED";
  constructor() {
    super(`A database transaction did not settle within ${TRANSACTION_DEADLINE_MS / 1000} s`);
  }
}

async function bounded<T>(transaction: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StrandedTransaction()), TRANSACTION_DEADLINE_MS);
    timer.unref();
  });
  try {
    return await Promise.race([transaction, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function scoped<T>(setting: string, params: string[], fn: (tx: Tx) => Promise<T>): Promise<T> {
  return bounded(transaction(setting, params, fn));
}

async function transaction<T>(setting: string, params: string[], fn: (tx: Tx) => Promise<T>): Promise<T> {
  const opened = await open(setting, params);
  const { reserved, tx, preamble, closed } = opened;
  let result: T;
  try {
    result = await Promise.race([fn(tx), closed]);
    await Promise.race([preamble, closed]);
    await Promise.race([commit(reserved), closed]);
  } catch (error) {
    await abandon(opened);
    throw error;
  }
  opened.detach();
  reserved.release();
  return result;
}

export async function withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(userId)) throw new Error("withUser needs a user id");
  return scoped(SCOPE_OF_USER, [userId], fn);
}

export type Results<Q extends readonly unknown[]> = { -readonly [K in keyof Q]: Awaited<Q[K]> };

// Statements of one open scope sent together, in the order given, and awaited
// together: one round trip instead of one each. Each is handed to the
// connection here and now (Drizzle runs a builder when its `then` is called,
// and the connection writes statements in the order they reach it), so the
// database runs them in this order. For statements that all run whatever the
// earlier ones return; if one fails, the transaction is aborted, the ones
// after it fail too, and the first error is the one thrown.
export function inOrder<const Q extends readonly PromiseLike<unknown>[]>(...statements: Q): Promise<Results<Q>> {
  return Promise.all(statements.map((statement) => new Promise((resolve, reject) => statement.then(resolve, reject)))) as Promise<Results<Q>>;
}

// Someone whose reads run in their own scope through `read` (lib/auth/require-user.ts
// `requireReader`: the caller's account check rides in the same round trip).
// `verify` settles the caller's check alone, for an answer that needs no read.
export type ScopedReader = {
  userId: string;
  read<const Q extends readonly PromiseLike<unknown>[]>(build: (tx: Tx) => Q): Promise<Results<Q>>;
  verify(): Promise<void>;
};

// A reader for a person already known to be signed in (their check done).
export const ownReader = (userId: string): ScopedReader => ({ userId, read: (build) => readAsUser(userId, build), verify: async () => {} });

// Statements in a person's scope that are all known before it starts (reads,
// or a single write whose result is used only once committed):
// BEGIN, the settings, every statement and COMMIT go out in one write and come
// back together: one round trip. `build` only creates the statements (Drizzle
// builders or `tx.execute(...)`), one database statement each; COMMIT is issued
// once all of them have reached the connection, so it is queued behind them.
export async function readAsUser<const Q extends readonly PromiseLike<unknown>[]>(userId: string, build: (tx: Tx) => Q): Promise<Results<Q>> {
  if (!UUID.test(userId)) throw new Error("readAsUser needs a user id");
  return bounded(pipelinedRead(userId, build));
}

async function pipelinedRead<const Q extends readonly PromiseLike<unknown>[]>(userId: string, build: (tx: Tx) => Q): Promise<Results<Q>> {
  let expected = Number.POSITIVE_INFINITY;
  let seen = 0;
  let committed: Promise<void> | undefined;
  let reservedRef: postgres.ReservedSql | undefined;
  const issueCommit = () => {
    if (!committed && seen >= expected && reservedRef) {
      committed = commit(reservedRef);
      committed.catch(() => {});
    }
  };
  const opened = await open(SCOPE_OF_USER, [userId], () => {
    seen++;
    issueCommit();
  });
  const { reserved, tx, preamble, closed } = opened;
  reservedRef = reserved;
  let statements: Promise<unknown>[] = [];
  try {
    statements = build(tx).map((q) => Promise.resolve(q));
    expected = statements.length;
    issueCommit();
    const results = await Promise.race([Promise.all(statements), closed]);
    await Promise.race([preamble, closed]);
    await Promise.race([committed ?? Promise.reject(new Error("readAsUser: a statement never reached the database")), closed]);
    opened.detach();
    reserved.release();
    return results as Results<Q>;
  } catch (error) {
    await Promise.race([Promise.allSettled([...statements, committed]), closed.catch(() => {})]);
    await abandon(opened);
    throw error;
  }
}

// The narrow roles without a person; what each may read is fixed by grants and policies.
const asRole = <T>(role: Role, fn: (tx: Tx) => Promise<T>): Promise<T> => scoped(SCOPE_OF_ROLE[role], [], fn);

export const asApp = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_app", fn);
export const asWorker = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_worker", fn);
export const asAdmin = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_admin", fn);
