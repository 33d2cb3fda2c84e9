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
import { decode } from "next-auth/jwt";
import { cache } from "react";
import type { ApiKeyScope } from "@/lib/api-keys/input";
import { looksLikeApiKey, verifyApiKey } from "@/lib/api-keys/service";
import { getEnv } from "@/lib/env";
import { authenticationRequired, ForbiddenError, invalidCredentials } from "@/lib/errors";
import { type Account, findAccount, type PublicUser, type Role } from "@/lib/users/queries";
import { readCookie } from "./device-cookie";
import { auth } from "./nextauth";
import { sessionAccount } from "./sessions";
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

// The Auth.js session, read straight from its cookie: the same decryption and
// expiry check Auth.js does (its own `decode`, salted with the cookie's name,
// keyed with AUTH_SECRET), without running its whole request handler on every
// API call. A chunked (very large) cookie falls back to Auth.js itself.
async function sessionFromCookie(request: Request): Promise<CookieSession | null> {
  const header = request.headers.get("cookie") ?? "";
  if (header.includes("authjs.session-token.0=")) {
    const session = await auth();
    return session?.user?.id && session.sessionId ? { userId: session.user.id, issuedAtMs: session.issuedAtMs ?? 0, sessionId: session.sessionId } : null;
  }
  for (const name of SESSION_COOKIES) {
    const token = readCookie(header, name);
    if (!token) continue;
    try {
      const payload = await decode({ token, secret: getEnv().AUTH_SECRET, salt: name });
      // A cookie from before server-side sessions (no `sid`) is no longer a session.
      if (typeof payload?.uid === "string" && typeof payload.sid === "string") {
        return { userId: payload.uid, issuedAtMs: typeof payload.iat_ms === "number" ? payload.iat_ms : 0, sessionId: payload.sid };
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
  const session = await sessionFromCookie(request);
  if (!session) throw authenticationRequired();
  refuseCrossSite(request);
  const account = await sessionAccount(session.userId, session.sessionId);
  if (!stillValid(account, session.issuedAtMs)) throw authenticationRequired();
  return toCurrentUser(account, session.sessionId);
}

// Administrators act with their password-backed credentials only, never a key.
export async function requireAdmin(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request, "none");
  if (user.role !== "admin") throw new ForbiddenError("Administrator access required");
  return user;
}

// For server components and actions; React `cache` checks once per render.
export const sessionUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id || !session.sessionId) return null;
  const account = await sessionAccount(id, session.sessionId);
  return stillValid(account, session.issuedAtMs ?? 0) ? toCurrentUser(account, session.sessionId) : null;
});
