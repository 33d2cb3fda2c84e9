// Brute-force protection for every place a password is checked (token
// endpoint, browser sign-in, account deletion), with rate-limiter-flexible on
// PostgreSQL so limits hold across app instances and restarts.
//  - per account and address: a few consecutive failures block that address for that account;
//  - per account: many failures from anywhere block further tries, but only from
//    addresses that have themselves failed for it, so an attacker cannot lock the
//    owner out (a clean address still signs in);
//  - per address: a cap across all accounts (credential stuffing).
// Every block is time-bounded. Keys are hashes: no email is stored.
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import { databaseUrl } from "@/db/client";
import { recordEvent } from "@/lib/audit/events";
import { getEnv } from "@/lib/env";
import { AppError, invalidCredentials } from "@/lib/http/errors";
import type { PublicUser } from "@/lib/users/queries";
import { checkCredentials } from "@/lib/users/service";

type Limiters = { pair: RateLimiterPostgres; account: RateLimiterPostgres; address: RateLimiterPostgres };
const globalForLimiters = globalThis as unknown as { __darkroomLimiters?: { url: string; pool: pg.Pool; limiters: Limiters } };

function limiters(): Limiters {
  const url = databaseUrl();
  const existing = globalForLimiters.__darkroomLimiters;
  if (existing?.url === url) return existing.limiters;
  const env = getEnv();
  const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 5000 });
  pool.on("error", () => {}); // a dropped idle connection is replaced on next use
  const make = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true, // created by the migrations, owned by the app's role
      keyPrefix,
      points,
      duration,
      blockDuration: env.LOGIN_BLOCK_SECONDS,
    });
  const created = {
    pair: make("login_pair", env.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, env.LOGIN_BLOCK_SECONDS),
    account: make("login_account", env.LOGIN_FAILURES_PER_ACCOUNT, 3600),
    address: make("login_address", env.LOGIN_FAILURES_PER_ADDRESS, 3600),
  };
  globalForLimiters.__darkroomLimiters = { url, pool, limiters: created };
  return created;
}

const hash = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 40);

function blockedFor(res: RateLimiterRes | null, points: number): number {
  return res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
}

const tooMany = (seconds: number) => new AppError("too_many_requests", "Too many failed sign-in attempts; try again later", { "Retry-After": String(seconds) });

// Checks a password behind the limits. Throws 429 while blocked, 401 when wrong.
export async function checkCredentialsThrottled(email: string, password: string, address: string): Promise<PublicUser> {
  const env = getEnv();
  const account = hash(email.trim().toLowerCase());
  const pairKey = hash(`${account}|${address}`);
  const { pair, account: perAccount, address: perAddress } = limiters();
  const [pairState, accountState, addressState] = await Promise.all([pair.get(pairKey), perAccount.get(account), perAddress.get(hash(address))]);
  const pairHasFailed = (pairState?.consumedPoints ?? 0) > 0;
  const wait = Math.max(
    blockedFor(pairState, env.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS),
    blockedFor(addressState, env.LOGIN_FAILURES_PER_ADDRESS),
    pairHasFailed ? blockedFor(accountState, env.LOGIN_FAILURES_PER_ACCOUNT) : 0,
  );
  if (wait > 0) throw tooMany(wait);

  const user = await checkCredentials(email, password);
  if (user) {
    await pair.delete(pairKey).catch(() => {});
    return user;
  }
  const results = await Promise.allSettled([pair.penalty(pairKey, 1), perAccount.penalty(account, 1), perAddress.penalty(hash(address), 1)]);
  const pairAfter = results[0].status === "fulfilled" ? results[0].value : null;
  if (pairAfter && pairAfter.consumedPoints === env.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS) {
    // The burst that just triggered a block is worth telling the account's owner about.
    const { findUserForSignIn } = await import("@/lib/users/queries");
    const owner = await findUserForSignIn(email.trim());
    if (owner) await recordEvent(owner.id, "sign_in_failures_blocked", { failures: pairAfter.consumedPoints }, address);
  }
  throw invalidCredentials();
}
