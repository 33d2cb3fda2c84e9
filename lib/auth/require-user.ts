// The one way to get the caller. If an Authorization header is present it
// alone decides (an invalid bearer is a 401 even with a valid session cookie):
// an access token, or a personal API key (`dk_…`); otherwise the Auth.js
// session cookie. Either way the account must still exist, not be disabled,
// and not have been signed out everywhere since the credential was issued.
//
// What an API key may do is stated by each route, beside its handler: the
// scope it needs ("generate" or "read"), "any" key, or — the default — no key
// at all. So a route added without thinking about keys refuses them, and a
// leaked integration key can never manage keys, sessions or the account.
import "server-only";
import { headers } from "next/headers";
import { decode } from "next-auth/jwt";
import { cache } from "react";
import { readAsUser, type ScopedReader, type Tx } from "@/db/client";
import type { ApiKeyScope } from "@/lib/api-keys/input";
import { looksLikeApiKey, verifyApiKey } from "@/lib/api-keys/service";
import { getEnv } from "@/lib/env";
import { authenticationRequired, ForbiddenError, invalidCredentials } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { type Account, findAccount, type PublicUser, type Role, readAccount } from "@/lib/users/queries";
import { readCookie } from "./device-cookie";
import { auth } from "./nextauth";
import { ProvenCache, provenCache } from "./proven-cache";
import { sessionAccount, sessionAccountQuery, toSessionAccount } from "./sessions";
import { bearerToken, verifyAccessToken } from "./tokens";

export type { Role };
export type Scope = ApiKeyScope;
// Sessions and access tokens hold every scope; an API key holds its own.
const ALL_SCOPES: readonly Scope[] = ["generate", "read"];
// `sessionId`: the browser session the request came with (none for bearer tokens).
// `apiKeyId`: the personal API key the request came with, if any.
export type CurrentUser = PublicUser & { role: Role; sessionId?: string; scopes: readonly Scope[]; apiKeyId?: string };
// What a route lets an API key do: call it with this scope, with any key, or not at all.
export type KeyAccess = Scope | "any" | "none";

function stillValid(account: Account | undefined, issuedAtMs: number): account is Account {
  return account !== undefined && account.disabledAt === null && issuedAtMs >= account.tokensValidAfter.getTime();
}

// The role is read from the database on every request: it is given and taken
// only by operators (`npm run admin`), never by anything the public API accepts.
const toCurrentUser = (a: Account, sessionId?: string): CurrentUser => ({
  id: a.id,
  email: a.email,
  name: a.name,
  role: a.role,
  sessionId,
  scopes: ALL_SCOPES,
});

// Decided before any object is looked up, so the 403 says nothing about what exists.
async function keyUser(token: string, access: KeyAccess): Promise<CurrentUser> {
  const key = await verifyApiKey(token);
  if (access === "none") throw new ForbiddenError("Not available to API keys");
  if (access !== "any" && !key.scopes.includes(access)) throw new ForbiddenError("Insufficient permission");
  return { ...toCurrentUser(key.account), scopes: key.scopes, apiKeyId: key.keyId };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// Route handlers have no built-in CSRF defence, and a cookie rides along on
// cross-site requests. A state-changing request authenticated by cookie must
// come from our own origin.
function refuseCrossSite(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  let foreignOrigin = false;
  if (origin !== null) {
    try {
      foreignOrigin = new URL(origin).host !== request.headers.get("host");
    } catch {
      foreignOrigin = true; // "null" or garbage
    }
  }
  if (site === "cross-site" || foreignOrigin) throw new ForbiddenError("Cross-site request refused");
}

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

type CookieSession = { userId: string; issuedAtMs: number; sessionId: string };

// Decoded sessions, so a browser's cookie is decrypted once rather than on
// every request (why that is safe: lib/auth/proven-cache.ts). Keyed by the
// cookie's name and value; an entry ends with the cookie's own `exp`.
const decodedSessions = provenCache<CookieSession>("sessions", 10_000);

// The Auth.js session, read straight from its cookie: the same decryption and
// expiry check Auth.js does (its own `decode`, salted with the cookie's name,
// keyed with AUTH_SECRET), without running its whole request handler on every
// API call. A chunked (very large) cookie falls back to Auth.js itself.
async function sessionFromCookieHeader(header: string): Promise<CookieSession | null> {
  if (header.includes("authjs.session-token.0=")) {
    const session = await auth();
    return session?.user?.id && session.sessionId ? { userId: session.user.id, issuedAtMs: session.issuedAtMs ?? 0, sessionId: session.sessionId } : null;
  }
  for (const name of SESSION_COOKIES) {
    const token = readCookie(header, name);
    if (!token) continue;
    const key = ProvenCache.key(name, token);
    const hit = decodedSessions.get(key);
    if (hit) return hit;
    try {
      const payload = await decode({ token, secret: getEnv().AUTH_SECRET, salt: name });
      // A cookie from before server-side sessions (no `sid`) is no longer a session.
      if (typeof payload?.uid === "string" && typeof payload.sid === "string" && typeof payload.exp === "number") {
        const session = { userId: payload.uid, issuedAtMs: typeof payload.iat_ms === "number" ? payload.iat_ms : 0, sessionId: payload.sid };
        decodedSessions.remember(key, session, payload.exp * 1000);
        return session;
      }
    } catch {
      // Not a session we issued (tampered, expired, another key): treated as no session.
    }
  }
  return null;
}

export async function requireUser(request: Request, keys: KeyAccess = "none"): Promise<CurrentUser> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const bearer = bearerToken(header);
    if (looksLikeApiKey(bearer)) return keyUser(bearer, keys);
    const token = await verifyAccessToken(bearer);
    const account = await findAccount(token.userId);
    if (!stillValid(account, token.issuedAtMs)) throw invalidCredentials();
    return toCurrentUser(account);
  }
  const session = await sessionFromCookieHeader(request.headers.get("cookie") ?? "");
  if (!session) throw authenticationRequired();
  refuseCrossSite(request);
  const account = await sessionAccount(session.userId, session.sessionId);
  if (!stillValid(account, session.issuedAtMs)) throw authenticationRequired();
  return toCurrentUser(account, session.sessionId);
}

// For the hot reads (a job's status, the job list): the credential is proven
// here (signature or decryption, no database), and the account check — the
// same statement `requireUser` runs — is sent in the same transaction and the
// same round trip as the caller's first read. Why this is safe:
// - the read runs in the caller's own scope (role `darkroom_app`, `app.user_id`
//   = the proven user id) with the owner in its WHERE, so it can only ever see
//   the caller's own rows, whatever the check says;
// - its result is returned only once the check has passed: a deleted, disabled
//   or signed-out account (or an ended session) gets the same 401 as from
//   `requireUser`, and the rows read are dropped;
// - anything answered without a read (a malformed id, a bad cursor) settles the
//   check first (`verify`), so the 401 still wins over a 400 or 404;
// - reads only: nothing here writes for the caller before the check is known
//   (the session's last-seen time aside, which is the check itself).
// API keys are checked in full first (their lookup is its own), then read normally.
export type Reader = ScopedReader & { scopes: readonly Scope[] };

function deferredReader(userId: string, refuse: () => Error, check: (tx: Tx) => PromiseLike<Account | undefined>, issuedAtMs: number): Reader {
  let verified: Promise<void> | undefined;
  const settle = (account: Account | undefined) => {
    if (!stillValid(account, issuedAtMs)) throw refuse();
    verified = Promise.resolve();
  };
  return {
    userId,
    scopes: ALL_SCOPES,
    async read(build) {
      if (verified) {
        await verified;
        return readAsUser(userId, build);
      }
      const [account, ...rest] = await readAsUser(userId, (tx) => [check(tx), ...build(tx)] as const);
      settle(account);
      return rest as never;
    },
    verify() {
      verified ??= readAsUser(userId, (tx) => [check(tx)] as const).then(([account]) => settle(account));
      return verified;
    },
  };
}

// Runs `fn` (parsing, say) for a reader whose check may still be pending: if
// it fails, the check is settled first, so a signed-out caller gets its 401.
export async function beforeRead<T>(reader: ScopedReader, fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (error) {
    await reader.verify();
    throw error;
  }
}

export async function requireReader(request: Request, keys: KeyAccess): Promise<Reader> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const bearer = bearerToken(header);
    if (looksLikeApiKey(bearer)) {
      const user = await keyUser(bearer, keys);
      return { userId: user.id, scopes: user.scopes, read: (build) => readAsUser(user.id, build), verify: async () => {} };
    }
    const token = await verifyAccessToken(bearer);
    const check = (tx: Tx) => readAccount(tx, token.userId);
    return deferredReader(token.userId, invalidCredentials, check, token.issuedAtMs);
  }
  const session = await sessionFromCookieHeader(request.headers.get("cookie") ?? "");
  if (!session || !isUuid(session.sessionId)) throw authenticationRequired();
  refuseCrossSite(request);
  const check = (tx: Tx) => sessionAccountQuery(tx, session.userId, session.sessionId).then(toSessionAccount);
  return deferredReader(session.userId, authenticationRequired, check, session.issuedAtMs);
}

// Administrators act with their password-backed credentials only, never a key.
export async function requireAdmin(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request, "none");
  if (user.role !== "admin") throw new ForbiddenError("Administrator access required");
  return user;
}

// For server components and actions; React `cache` checks once per render.
// The same cookie reader and the same per-request database check as the API
// (Auth.js's own `auth()` would also re-encrypt a refreshed cookie that a
// server component cannot send anyway).
export const sessionUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await sessionFromCookieHeader((await headers()).get("cookie") ?? "");
  if (!session) return null;
  const account = await sessionAccount(session.userId, session.sessionId);
  return stillValid(account, session.issuedAtMs) ? toCurrentUser(account, session.sessionId) : null;
});
