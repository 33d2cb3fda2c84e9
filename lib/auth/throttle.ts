// Brute-force protection for every place a password is checked (token
// endpoint, browser sign-in, account deletion), with rate-limiter-flexible on
// PostgreSQL so limits hold across app instances and restarts:
//  - per account, from anywhere: after LOGIN_FAILURES_PER_ACCOUNT failures in an
//    hour, further attempts are refused (429) until the hour has passed, whatever
//    address they come from, so guessing is bounded per account;
//  - a browser holding a valid device cookie for that account (device-cookie.ts)
//    is exempt from that lockout and limited per device instead, so the owner
//    still signs in while an attacker guesses;
//  - per account and address, and per address (an IPv6 /64) across accounts
//    (credential stuffing): only when the address is known (a trusted proxy).
// Every block is time-bounded. Keys are hashes: no email or address is stored.
import "server-only";
import type { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { recordEvent } from "@/lib/audit/service";
import { getEnv } from "@/lib/env";
import { invalidCredentials, RateLimitedError } from "@/lib/errors";
import { hashKey, rateLimiter } from "@/lib/rate-limits";
import { findSignInCandidate, type PublicUser } from "@/lib/users/queries";
import { checkCredentials } from "@/lib/users/service";
import { addressKey, clientAddress } from "./client-address";
import { accountKey, DEVICE_COOKIE, deviceNonce, readCookie } from "./device-cookie";

type Limiters = { account: RateLimiterPostgres; device: RateLimiterPostgres; pair: RateLimiterPostgres; address: RateLimiterPostgres };
const globalForLimiters = globalThis as unknown as { __darkroomLimiters?: Limiters };

function limiters(): Limiters {
  if (globalForLimiters.__darkroomLimiters) return globalForLimiters.__darkroomLimiters;
  const env = getEnv();
  const created = {
    account: rateLimiter("login_account", env.LOGIN_FAILURES_PER_ACCOUNT, 3600),
    device: rateLimiter("login_device", env.LOGIN_FAILURES_PER_DEVICE, 3600),
    pair: rateLimiter("login_pair", env.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, env.LOGIN_BLOCK_SECONDS),
    address: rateLimiter("login_address", env.LOGIN_FAILURES_PER_ADDRESS, 3600),
  };
  globalForLimiters.__darkroomLimiters = created;
  return created;
}

function blockedFor(res: RateLimiterRes | null | undefined, points: number): number {
  return res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
}

const tooMany = (seconds: number) => new RateLimitedError("Too many failed sign-in attempts; try again later", seconds);

// Where an attempt comes from: the client's address (null when unknown) and the
// device cookie it carries.
export type SignInOrigin = { address: string | null; deviceCookie?: string };

export function signInOrigin(request: Request): SignInOrigin {
  return { address: clientAddress(request), deviceCookie: readCookie(request.headers.get("cookie"), DEVICE_COOKIE) };
}

// Checks a password behind the limits. Throws 429 while blocked, 401 when wrong.
export async function checkCredentialsThrottled(email: string, password: string, origin: SignInOrigin): Promise<PublicUser> {
  const env = getEnv();
  const account = accountKey(email);
  const nonce = deviceNonce(origin.deviceCookie, email);
  const address = origin.address ? hashKey(addressKey(origin.address)) : null;
  const pairKey = address ? hashKey(`${account}|${address}`) : null;
  const limits = limiters();
  const [accountState, deviceState, pairState, addressState] = await Promise.all([
    limits.account.get(account),
    nonce ? limits.device.get(hashKey(nonce)) : null,
    pairKey ? limits.pair.get(pairKey) : null,
    address ? limits.address.get(address) : null,
  ]);
  // A device that has failed too often loses its exemption (it may have been stolen).
  const trustedDevice = nonce !== null && blockedFor(deviceState, env.LOGIN_FAILURES_PER_DEVICE) === 0;
  const wait = Math.max(
    blockedFor(addressState, env.LOGIN_FAILURES_PER_ADDRESS),
    trustedDevice ? 0 : blockedFor(accountState, env.LOGIN_FAILURES_PER_ACCOUNT),
    trustedDevice ? 0 : blockedFor(pairState, env.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS),
  );
  if (wait > 0) throw tooMany(wait);

  const user = await checkCredentials(email, password);
  if (user) {
    await Promise.allSettled([pairKey ? limits.pair.delete(pairKey) : null, trustedDevice ? limits.device.delete(hashKey(nonce)) : null]);
    return user;
  }
  // A trusted device's failures count against that device only, not the account.
  const [accountAfter] = await Promise.allSettled([
    trustedDevice ? limits.device.penalty(hashKey(nonce), 1) : limits.account.penalty(account, 1),
    pairKey ? limits.pair.penalty(pairKey, 1) : null,
    address ? limits.address.penalty(address, 1) : null,
  ]);
  if (!trustedDevice && accountAfter.status === "fulfilled" && accountAfter.value?.consumedPoints === env.LOGIN_FAILURES_PER_ACCOUNT) {
    // The failure that just locked the account is worth telling its owner about.
    const owner = await findSignInCandidate(email.trim());
    if (owner) await recordEvent(owner.id, "sign_in_failures_blocked", { failures: env.LOGIN_FAILURES_PER_ACCOUNT }, origin.address);
  }
  throw invalidCredentials();
}
