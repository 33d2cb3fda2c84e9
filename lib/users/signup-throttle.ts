// Sign-up throttling: account creation costs an Argon2 hash and a row, so it is
// limited per client address and overall, per hour, with rate-limiter-flexible
// on PostgreSQL (shared by every app instance, like the sign-in limits in
// lib/auth/throttle.ts). Attempts are counted, not successes, and before the
// password is hashed. Keys are hashes: no address is stored.
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { databaseUrl } from "@/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/http/errors";

type Limiters = { address: RateLimiterPostgres; overall: RateLimiterPostgres };
const globalForSignups = globalThis as unknown as { __darkroomSignupLimiters?: { url: string; pool: pg.Pool; limiters: Limiters } };

function limiters(): Limiters {
  const url = databaseUrl();
  const existing = globalForSignups.__darkroomSignupLimiters;
  if (existing?.url === url) return existing.limiters;
  const env = getEnv();
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });
  pool.on("error", () => {}); // a dropped idle connection is replaced on next use
  const make = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true, // created by the migrations, owned by the app's role
      keyPrefix,
      points,
      duration: 3600,
    });
  const created = { address: make("signup_address", env.SIGNUPS_PER_ADDRESS_PER_HOUR), overall: make("signup_all", env.SIGNUPS_PER_HOUR) };
  globalForSignups.__darkroomSignupLimiters = { url, pool, limiters: created };
  return created;
}

const hash = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 40);

// Counts one sign-up attempt; throws 429 with Retry-After when over a limit.
// Without a trustworthy address (null: no trusted proxy) only the overall limit applies.
export async function consumeSignupAttempt(address: string | null): Promise<void> {
  const { address: perAddress, overall } = limiters();
  try {
    // Per address first: an address over its own limit does not use up everyone's.
    if (address !== null) await perAddress.consume(hash(address));
    await overall.consume("all");
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError("too_many_requests", "Too many sign-ups; try again later", { "Retry-After": String(seconds) });
    }
    throw rejection;
  }
}
