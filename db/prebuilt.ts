// Statements built once (issue 15). Drizzle turns a query builder into SQL text
// on every call: in the profile that was ≈ 0.2 ms of Node per status read and
// ≈ 0.3 ms per list page, about as much as the rest of their database work.
// A hot statement is built once here, with placeholders for its values
// (`sql.placeholder(name)`), against a query builder that can run nothing
// (`templateTx`); each call runs that same text, with the caller's values, on
// the caller's own scoped connection. Why this is safe:
// - it runs only on the connection of a scope opened by db/client.ts (the
//   person's role and `app.user_id` set first, as for any statement); with any
//   other `tx` it refuses to run;
// - the values are bound parameters, filled per call; nothing of one call is
//   kept for the next (the template holds the text, its parameter slots and
//   how to map its rows — no values);
// - the statement is sent at once, like every statement of a scope, so the
//   order of a scope's statements is the order they were made.
import { fillPlaceholders, type SQL } from "drizzle-orm";
import type { Tx } from "./client";
import { dialect, scopeClientOf, templateTx } from "./client";

type Prepared<R> = { execute(values?: Record<string, unknown>): Promise<R> };

function clientOf(tx: Tx) {
  const client = scopeClientOf(tx);
  if (!client) throw new Error("A statement built once runs only in a scope of db/client.ts");
  return client;
}

export function prebuilt<V extends Record<string, unknown>, R>(build: (tx: Tx) => { prepare(name: string): Prepared<R> }): (tx: Tx, values: V) => Promise<R> {
  let template: Prepared<R> | undefined;
  return (tx, values) => {
    const client = clientOf(tx);
    // The name only marks it as a prepared statement; db/client.ts names it by its text.
    template ??= build(templateTx()).prepare("prebuilt");
    // Drizzle's prepared query runs on its `client`: this call's connection, over the shared template.
    const query = Object.create(template) as Prepared<R> & { client: unknown };
    query.client = client;
    return query.execute(values);
  };
}

// The same for a statement written in SQL (what `tx.execute(sql`…`)` runs):
// its rows come back as PostgreSQL sends them, as with `tx.execute`.

export function prebuiltSql<V extends Record<string, unknown>, Row>(build: () => SQL): (tx: Tx, values: V) => Promise<Row[]> {
  let template: { sql: string; params: unknown[] } | undefined;
  return (tx, values) => {
    const client = clientOf(tx);
    template ??= dialect.sqlToQuery(build());
    return Promise.resolve(client.unsafe(template.sql, fillPlaceholders(template.params, values) as never) as unknown as Row[]);
  };
}
