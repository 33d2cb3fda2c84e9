// EXPLAIN (ANALYZE, BUFFERS) of the app's own queries, run the way the app runs
// them: inside a transaction that sets the restricted role and `app.user_id`
// (db/client.ts `withUser`), parameters bound (extended protocol, unnamed
// statement) as Drizzle on postgres.js sends them. The statements themselves
// come from the app (bench/capture-sql.ts); the builders below rebuild them with
// Drizzle's query builder in the same shape, as a fallback if capturing fails.
import { and, sql as dsql, eq } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import { imageJobs, users } from "../../db/schema";
import type { Sql } from "./seed";

export type Query = { sql: string; params: unknown[] };
export type Plan = {
  name: string;
  rlsScoped: boolean;
  // "app": the statement captured from the app's own function; "rebuilt": the fallback builders here.
  source: "app" | "rebuilt";
  text: string;
  seqScanOnImageJobs: boolean;
  // The rows were sorted after reading them: the index did not give the order.
  sortsRows: boolean;
  // Rows the scans produced, and rows the statement returned.
  rowsRead: number;
  rowsReturned: number;
  executionMs: number;
  planningMs: number;
};

const qb = new QueryBuilder();

// lib/jobs/queries.ts findJob: ownership in the WHERE, RLS as the second wall.
export function statusQuery(userId: string, jobId: string): Query {
  return qb
    .select()
    .from(imageJobs)
    .where(and(eq(imageJobs.id, jobId), eq(imageJobs.userId, userId)))
    .toSQL();
}

// lib/jobs/queries.ts listJobs (lib/jobs/service.ts asks for limit + 1 rows),
// ordered like the app: DESC NULLS LAST, the order of image_jobs_user_created_idx.
export function listQuery(input: { userId: string; limit: number; after?: { createdAt: string; id: string }; status?: "completed" }): Query {
  const order = [dsql`${imageJobs.createdAt} desc nulls last`, dsql`${imageJobs.id} desc nulls last`];
  return qb
    .select()
    .from(imageJobs)
    .where(
      and(
        eq(imageJobs.userId, input.userId),
        input.status ? eq(imageJobs.status, input.status) : undefined,
        input.after ? dsql`(${imageJobs.createdAt}, ${imageJobs.id}) < (${input.after.createdAt}::timestamptz, ${input.after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(...order)
    .limit(input.limit)
    .toSQL();
}

// lib/users/queries.ts findAccount: the per-request "does this person still exist" check.
export function accountQuery(userId: string): Query {
  return qb
    .select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt, tokensValidAfter: users.tokensValidAfter })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1)
    .toSQL();
}

export const SET_USER = "select set_config('role', 'darkroom_app', true), set_config('app.user_id', $1, true)";

export async function explain(sql: Sql, name: string, query: Query, userId: string | null, source: Plan["source"]): Promise<Plan> {
  const run = async (tx: Sql | postgres.TransactionSql) => {
    if (userId) await tx.unsafe(SET_USER, [userId]);
    // Self-test of the Seq Scan guard: BENCH_PLAN_SELFTEST=1 forbids index scans, so the bench must fail.
    if (userId && process.env.BENCH_PLAN_SELFTEST === "1") {
      await tx.unsafe("set local enable_indexscan = off");
      await tx.unsafe("set local enable_bitmapscan = off");
    }
    return tx.unsafe(`explain (analyze, buffers, format text) ${query.sql}`, query.params as never[]);
  };
  const rows = userId ? await sql.begin((tx) => run(tx)) : await run(sql);
  const text = (rows as unknown as Record<string, string>[]).map((r) => r["QUERY PLAN"]!).join("\n");
  const ms = (label: string) => Number(new RegExp(`${label} Time: ([\\d.]+) ms`).exec(text)?.[1] ?? Number.NaN);
  return {
    name,
    rlsScoped: userId !== null,
    source,
    text,
    seqScanOnImageJobs: /Seq Scan on image_jobs/.test(text),
    sortsRows: /Sort Key:/.test(text),
    rowsRead: Math.max(0, ...[...text.matchAll(/Scan[^\n]*actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/g)].map((m) => Number(m[1]))),
    rowsReturned: Number(/actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/.exec(text)?.[1] ?? 0),
    executionMs: ms("Execution"),
    planningMs: ms("Planning"),
  };
}
