// Rate limits on the anonymous share routes (/s/<token>, its images): a link
// holder needs no account, so these are the only brake on someone hammering
// the lookup or an image. Per client address when the address can be trusted
// (TRUSTED_PROXY_HOPS ≥ 1, lib/auth/client-address.ts); without a trusted proxy
// a client chooses its own X-Forwarded-For, so no per-address limit would mean
// anything and only the overall limit applies (it bounds the database work, at
// the price that one flood slows every viewer: docs/security.md says so).
// Keys are hashes: no address is stored.
import "server-only";
import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { addressKey } from "@/lib/auth/client-address";
import { getEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { hashKey, rateLimiter } from "@/lib/rate-limits";

type Limiters = { address: RateLimiterPostgres; overall: RateLimiterPostgres };
const globalForShares = globalThis as unknown as { __darkroomShareLimiters?: Limiters };

function limiters(): Limiters {
  if (globalForShares.__darkroomShareLimiters) return globalForShares.__darkroomShareLimiters;
  const env = getEnv();
  const created = {
    address: rateLimiter("share_address", env.SHARE_REQUESTS_PER_ADDRESS_PER_MINUTE, 60),
    overall: rateLimiter("share_all", env.SHARE_REQUESTS_PER_MINUTE, 60),
  };
  globalForShares.__darkroomShareLimiters = created;
  return created;
}

// Counts one request to a share route, before the token is looked up (so an
// unknown token costs the same as a live one); throws 429 with Retry-After.
export async function consumeShareRequest(address: string | null): Promise<void> {
  const { address: perAddress, overall } = limiters();
  try {
    if (address !== null) await perAddress.consume(hashKey(addressKey(address)));
    await overall.consume("all");
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes)
      throw new RateLimitedError("Too many requests; try again later", Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    throw rejection;
  }
}
