// What the status read's database work costs as the app does it today, and as
// it would with fewer round trips: the same statements, the same pool size,
// the same concurrency as the HTTP test, but without Next.js in between. This
// is a projection for the report (no app code is changed): it bounds what
// pipelining and prepared statements can win.
import postgres from "postgres";
import { accountQuery, SET_USER, statusQuery } from "./explain";
import { median, percentile } from "./stats";

export type Variant = "as-is: 5 round trips" | "pipelined: 3 round trips" | "pipelined + prepared" | "1 round trip + prepared";
export type VariantResult = { variant: Variant; opsPerSec: number; p50: number; p99: number; ops: number };

export async function roundTripWhatIf(options: {
  url: string;
  userId: string;
  jobId: string;
  poolMax: number;
  concurrency: number;
  seconds: number;
  rounds: number;
}): Promise<VariantResult[]> {
  // Same client options as db/client.ts.
  const sql = postgres(options.url, {
    max: options.poolMax,
    connect_timeout: 5,
    idle_timeout: 30,
    connection: { statement_timeout: 10_000, idle_in_transaction_session_timeout: 15_000 },
    onnotice: () => {},
  });
  const account = accountQuery(options.userId);
  const status = statusQuery(options.userId, options.jobId);
  const p = (q: { params: unknown[] }) => q.params as never[];

  const variants: Record<Variant, () => Promise<unknown>> = {
    // requireUser's findAccount, then withUser: BEGIN, set_config, SELECT, COMMIT, each awaited.
    "as-is: 5 round trips": async () => {
      await sql.unsafe(account.sql, p(account));
      await sql.begin(async (tx) => {
        await tx.unsafe(SET_USER, [options.userId]);
        return tx.unsafe(status.sql, p(status));
      });
    },
    // The account check rides in the transaction (before the role switch), and
    // the three statements go out in one write: BEGIN, [3 statements], COMMIT.
    "pipelined: 3 round trips": () =>
      sql.begin((tx) => [tx.unsafe(account.sql, p(account)), tx.unsafe(SET_USER, [options.userId]), tx.unsafe(status.sql, p(status))]),
    "pipelined + prepared": () =>
      sql.begin((tx) => [
        tx.unsafe(account.sql, p(account), { prepare: true }),
        tx.unsafe(SET_USER, [options.userId], { prepare: true }),
        tx.unsafe(status.sql, p(status), { prepare: true }),
      ]),
    // Everything in one write on a reserved connection: BEGIN, the three statements, COMMIT.
    // If any statement fails, the rest fail with it and COMMIT turns into a rollback.
    "1 round trip + prepared": async () => {
      const c = await sql.reserve();
      try {
        await Promise.all([
          c.unsafe("begin"),
          c.unsafe(account.sql, p(account), { prepare: true }),
          c.unsafe(SET_USER, [options.userId], { prepare: true }),
          c.unsafe(status.sql, p(status), { prepare: true }),
          c.unsafe("commit"),
        ]);
      } finally {
        c.release();
      }
    },
  };

  const entries = Object.entries(variants) as [Variant, () => Promise<unknown>][];
  const latencies = new Map<Variant, number[]>(entries.map(([v]) => [v, []]));
  const elapsed = new Map<Variant, number>(entries.map(([v]) => [v, 0]));
  try {
    for (const [, op] of entries) for (let i = 0; i < 50; i++) await op(); // warm connections and plan caches
    // Alternating rounds (forward, then reversed), as for the HTTP runs.
    for (let round = 0; round < options.rounds; round++) {
      for (const [variant, op] of round % 2 === 0 ? entries : [...entries].reverse()) {
        const into = latencies.get(variant)!;
        const started = performance.now();
        const deadline = started + (options.seconds * 1000) / options.rounds;
        await Promise.all(
          Array.from({ length: options.concurrency }, async () => {
            while (performance.now() < deadline) {
              const t = performance.now();
              await op();
              into.push(performance.now() - t);
            }
          }),
        );
        elapsed.set(variant, elapsed.get(variant)! + (performance.now() - started) / 1000);
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  const results = entries.map(([variant]): VariantResult => {
    const l = latencies.get(variant)!;
    return { variant, ops: l.length, opsPerSec: l.length / elapsed.get(variant)!, p50: median(l), p99: percentile(l, 99) };
  });
  return results;
}
