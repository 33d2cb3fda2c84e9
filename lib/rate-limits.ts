// Rate limiters on PostgreSQL (rate-limiter-flexible), shared by every app
// instance and surviving restarts: sign-in (lib/auth/throttle.ts) and sign-up
// (lib/users/signup-throttle.ts). Keys are hashes: no email or address is stored.
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { databaseUrl } from "@/db/client";

const globalForLimits = globalThis as unknown as { __darkroomLimitPool?: { url: string; pool: pg.Pool } };

// One small pool of its own (the library speaks `pg`), switched to darkroom_app
// for the whole session: the only rows that role reaches without a person set
// are the throttling state's (the runtime login role alone reads nothing).
function pool(): pg.Pool {
  const url = databaseUrl();
  const existing = globalForLimits.__darkroomLimitPool;
  if (existing?.url === url) return existing.pool;
  const created = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 5000, options: "-c role=darkroom_app" });
  created.on("error", () => {}); // a dropped idle connection is replaced on next use
  globalForLimits.__darkroomLimitPool = { url, pool: created };
  return created;
}

export function rateLimiter(keyPrefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  // tableCreated: the table comes from the migrations (rate_limits).
  return new RateLimiterPostgres({
    storeClient: pool(),
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    keyPrefix,
    points,
    duration: durationSeconds,
  });
}

export const hashKey = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 40);
