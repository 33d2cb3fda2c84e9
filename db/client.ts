// The database client. It connects as the runtime login role (db/roles.ts):
// not superuser, not BYPASSRLS, owner of nothing, inheriting nothing. On its own
// that role can read no table at all (boot refuses to serve on a privileged one),
// so every query goes through one of the scoped helpers below:
// - `withUser(userId, fn)`: every query on a person's rows, their account row
//   included. Runs as `darkroom_app` with `app.user_id` set, so row-level security
//   returns only that person's rows even if a WHERE is forgotten.
// - `asApp(fn)`: `darkroom_app` with nobody set: sees no person's row; for the
//   sign-in lookup function, throttling state and the migrations count.
// - `asWorker` / `asAdmin`: the two narrow cross-user reads, fixed by column grants.
import { sql } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
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
  const created = { client, db: drizzle(client, { schema }), url };
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

export async function withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(userId)) throw new Error("withUser needs a user id");
  return systemDb().transaction(async (tx) => {
    // Transaction-local (third argument true): a pooled connection returns to
    // the pool with no role and no user set.
    await tx.execute(sql`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${userId}, true)`);
    return fn(tx);
  });
}

// The narrow roles without a person; what each may read is fixed by grants and policies.
async function asRole<T>(role: "darkroom_app" | "darkroom_worker" | "darkroom_admin", fn: (tx: Tx) => Promise<T>): Promise<T> {
  return systemDb().transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${role}, true)`);
    return fn(tx);
  });
}

export const asApp = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_app", fn);
export const asWorker = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_worker", fn);
export const asAdmin = <T>(fn: (tx: Tx) => Promise<T>) => asRole("darkroom_admin", fn);
