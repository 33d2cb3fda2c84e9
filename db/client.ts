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
  const client = postgres(url, {
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
const dialect = new PgDialect();
const relational = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
const relationalSchema = { fullSchema: schema, schema: relational.tables, tableNamesMap: relational.tableNamesMap };

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

type Opened = { reserved: postgres.ReservedSql; tx: Tx; preamble: Promise<unknown> };

// Reserves a connection and issues BEGIN and the scope's settings without
// waiting for them: the statements that follow join the same socket write.
async function open(setting: string, params: string[], issued?: () => void): Promise<Opened> {
  const reserved = await holder().client.reserve();
  const preamble = Promise.all([reserved.unsafe("begin", [], { prepare: true }).execute(), reserved.unsafe(setting, params, { prepare: true }).execute()]);
  // A failure here also fails every statement after it (the transaction is
  // aborted, or the runtime role is refused): it is reported through those.
  preamble.catch(() => {});
  const session = new PostgresJsSession(preparing(reserved, issued), dialect, relationalSchema, {});
  const tx = new PostgresJsTransaction(dialect, session as never, relationalSchema) as unknown as Tx;
  return { reserved, tx, preamble };
}

async function scoped<T>(setting: string, params: string[], fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { reserved, tx, preamble } = await open(setting, params);
  let result: T;
  try {
    result = await fn(tx);
    await preamble;
    await commit(reserved);
  } catch (error) {
    await rollbackAndRelease(reserved);
    throw error;
  }
  reserved.release();
  return result;
}

export async function withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(userId)) throw new Error("withUser needs a user id");
  return scoped(SCOPE_OF_USER, [userId], fn);
}

export type Results<Q extends readonly unknown[]> = { -readonly [K in keyof Q]: Awaited<Q[K]> };

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
  const { reserved, tx, preamble } = await open(SCOPE_OF_USER, [userId], () => {
    seen++;
    issueCommit();
  });
  reservedRef = reserved;
  let statements: Promise<unknown>[] = [];
  try {
    statements = build(tx).map((q) => Promise.resolve(q));
    expected = statements.length;
    issueCommit();
    const results = await Promise.all(statements);
    await preamble;
    await (committed ?? Promise.reject(new Error("readAsUser: a statement never reached the database")));
    reserved.release();
    return results as Results<Q>;
  } catch (error) {
    await Promise.allSettled([...statements, committed]);
    await rollbackAndRelease(reserved);
    throw error;
  }
}

// The narrow roles without a person; what each may read is fixed by grants and policies.
const asRole = <T>(role: Role, fn: (tx: Tx) => Promise<T>): Promise<T> => scoped(SCOPE_OF_ROLE[role], [], fn);

export const asApp = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_app", fn);
export const asWorker = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_worker", fn);
export const asAdmin = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_admin", fn);
