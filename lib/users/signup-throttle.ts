// Sign-up throttling: account creation costs an Argon2 hash and a row, so it is
// limited per client address and overall, per hour, with rate-limiter-flexible
// on PostgreSQL (shared by every app instance, like the sign-in limits in
// lib/auth/throttle.ts). Attempts are counted, not successes, and before the
// password is hashed. Keys are hashes: no address is stored.
import "server-only";
import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { addressKey } from "@/lib/auth/client-address";
import { getEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { hashKey, rateLimiter } from "@/lib/rate-limits";

type Limiters = { address: RateLimiterPostgres; overall: RateLimiterPostgres };
const globalForSignups = globalThis as unknown as { __darkroomSignupLimiters?: Limiters };

function limiters(): Limiters {
  if (globalForSignups.__darkroomSignupLimiters) return globalForSignups.__darkroomSignupLimiters;
  const env = getEnv();
  const created = {
    address: rateLimiter("signup_address", env.SIGNUPS_PER_ADDRESS_PER_HOUR, 3600),
    overall: rateLimiter("signup_all", env.SIGNUPS_PER_HOUR, 3600),
  };
  globalForSignups.__darkroomSignupLimiters = created;
  return created;
}

// Counts one sign-up attempt; throws 429 with Retry-After when over a limit.
// Without a trustworthy address (null: no trusted proxy) only the overall limit applies.
export async function consumeSignupAttempt(address: string | null): Promise<void> {
  const { address: perAddress, overall } = limiters();
  try {
    // Per address first: an address over its own limit does not use up everyone's.
    if (address !== null) await perAddress.consume(hashKey(addressKey(address)));
    await overall.consume("all");
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new RateLimitedError("Too many sign-ups; try again later", seconds);
    }
    throw rejection;
  }
}
