// Captures the SQL the app itself sends, so that the bench EXPLAINs exactly the
// statements lib/jobs/queries.ts and lib/users/queries.ts build today rather
// than a copy that drifts. Run by bench/lib/app-sql.ts as a child process with
// `--conditions=react-server` (so `import "server-only"` resolves to its empty
// module): it puts a Drizzle client with a recording logger where db/client.ts
// keeps its pool, calls the real query functions against the bench database
// (reads only), and prints what they sent as JSON.
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "../db/schema";

export type CaptureCall =
  | { name: string; fn: "findJob"; args: { userId: string; jobId: string } }
  | { name: string; fn: "listJobs"; args: { userId: string; limit: number; after?: { createdAt: string; id: string }; status?: "completed" } }
  | { name: string; fn: "findAccount"; args: { userId: string } };
export type Captured = Record<string, { sql: string; params: unknown[] }[]>;

const input = JSON.parse(process.argv[2]!) as { url: string; calls: CaptureCall[] };
process.env.DATABASE_URL = input.url;

let log: { sql: string; params: unknown[] }[] = [];
const client = postgres(input.url, { max: 1, onnotice: () => {} });
const db = drizzle(client, { schema, logger: { logQuery: (sql, params) => log.push({ sql, params }) } });
// db/client.ts reuses the pool it finds here when the URL matches.
(globalThis as { __darkroomDb?: unknown }).__darkroomDb = { client, db, url: input.url };

const jobs = await import("../lib/jobs/queries");
const accounts = await import("../lib/users/queries");

const out: Captured = {};
try {
  for (const call of input.calls) {
    log = [];
    if (call.fn === "findJob") await jobs.findJob(call.args);
    else if (call.fn === "findAccount") await accounts.findAccount(call.args.userId);
    else {
      const { after, ...rest } = call.args;
      await jobs.listJobs({ ...rest, after: after ? { createdAt: new Date(after.createdAt), id: after.id } : undefined });
    }
    out[call.name] = log;
  }
} finally {
  await client.end({ timeout: 2 });
}
process.stdout.write(JSON.stringify(out));
