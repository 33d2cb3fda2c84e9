// Scenario 3's plans: the app's own statements, captured from its query
// functions (bench/capture-sql.ts), explained in the RLS transaction; the
// bench's rebuilt copies only if capturing fails.
import type postgres from "postgres";
import { type CaptureCall, captureAppSql } from "./app-sql";
import { accountQuery, explain, listQuery, type Plan, type Query, statusQuery } from "./explain";
import type { Account } from "./people";

export type TablePlan = Plan & { table: string };

export async function explainAppQueries(o: {
  db: postgres.Sql;
  url: string;
  table: string;
  person: Account;
  jobId: string;
  after: { createdAt: string; id: string };
  deepAfter: number;
  galleryPerson?: Account;
  warn: (message: string) => void;
}): Promise<TablePlan[]> {
  const { person, jobId, after } = o;
  const specs: (CaptureCall & { fallback: Query; userId: string | null })[] = [
    { name: "status (findJob)", fn: "findJob", args: { userId: person.id, jobId }, fallback: statusQuery(person.id, jobId), userId: person.id },
    {
      name: "list first page (listJobs)",
      fn: "listJobs",
      args: { userId: person.id, limit: 21 },
      fallback: listQuery({ userId: person.id, limit: 21 }),
      userId: person.id,
    },
    {
      name: `list after ${o.deepAfter} (listJobs)`,
      fn: "listJobs",
      args: { userId: person.id, limit: 21, after },
      fallback: listQuery({ userId: person.id, limit: 21, after }),
      userId: person.id,
    },
    { name: "account check (findAccount)", fn: "findAccount", args: { userId: person.id }, fallback: accountQuery(person.id), userId: null },
  ];
  if (o.galleryPerson) {
    // The gallery page asks listJobs for 24 completed images (+1).
    const args = { userId: o.galleryPerson.id, limit: 25, status: "completed" as const };
    specs.push({ name: "gallery page (listJobs, completed)", fn: "listJobs", args, fallback: listQuery(args), userId: o.galleryPerson.id });
  }
  const captured = captureAppSql(o.url, specs);
  if (captured instanceof Error) o.warn(`WARNING: could not capture the app's SQL, explaining rebuilt queries instead: ${captured.message}`);
  const plans: TablePlan[] = [];
  for (const s of specs) {
    const q = captured instanceof Error ? s.fallback : captured[s.name]!;
    plans.push({ table: o.table, ...(await explain(o.db, s.name, q, s.userId, captured instanceof Error ? "rebuilt" : "app")) });
  }
  return plans;
}
