// The one way to get the caller. If an Authorization header is present it
// alone decides (an invalid bearer is a 401 even with a valid session cookie);
// otherwise the Auth.js session cookie. Either way the account must still
// exist, not be disabled, and not have been signed out everywhere since the
// credential was issued.
import "server-only";
import { decode } from "next-auth/jwt";
import { cache } from "react";
import { getEnv } from "@/lib/env";
import { AppError, authenticationRequired, invalidCredentials } from "@/lib/http/errors";
import { type Account, findAccount, type PublicUser } from "@/lib/users/queries";
import { auth } from "./nextauth";
import { bearerToken, verifyAccessToken } from "./tokens";

export type Role = "user" | "admin";
export type CurrentUser = PublicUser & { role: Role };

// Admins are named by configuration only: no account becomes admin by being first.
export function roleOf(email: string): Role {
  const admins = getEnv()
    .ADMIN_EMAILS.split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  return admins.includes(email.toLowerCase()) ? "admin" : "user";
}

function stillValid(account: Account | undefined, issuedAtMs: number): account is Account {
  return account !== undefined && account.disabledAt === null && issuedAtMs >= account.tokensValidAfter.getTime();
}

const toCurrentUser = (a: Account): CurrentUser => ({ id: a.id, email: a.email, name: a.name, role: roleOf(a.email) });

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
  if (site === "cross-site" || foreignOrigin) throw new AppError("forbidden", "Cross-site request refused");
}

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

// The Auth.js session, read straight from its cookie: the same decryption and
// expiry check Auth.js does (its own `decode`, salted with the cookie's name,
// keyed with AUTH_SECRET), without running its whole request handler on every
// API call. A chunked (very large) cookie falls back to Auth.js itself.
async function sessionFromCookie(request: Request): Promise<{ userId: string; issuedAtMs: number } | null> {
  const header = request.headers.get("cookie") ?? "";
  if (header.includes("authjs.session-token.0=")) {
    const session = await auth();
    return session?.user?.id ? { userId: session.user.id, issuedAtMs: session.issuedAtMs ?? 0 } : null;
  }
  for (const name of SESSION_COOKIES) {
    const token = readCookie(header, name);
    if (!token) continue;
    try {
      const payload = await decode({ token, secret: getEnv().AUTH_SECRET, salt: name });
      if (typeof payload?.uid === "string") return { userId: payload.uid, issuedAtMs: typeof payload.iat_ms === "number" ? payload.iat_ms : 0 };
    } catch {
      // Not a session we issued (tampered, expired, another key): treated as no session.
    }
  }
  return null;
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = await verifyAccessToken(bearerToken(header));
    const account = await findAccount(token.userId);
    if (!stillValid(account, token.issuedAtMs)) throw invalidCredentials();
    return toCurrentUser(account);
  }
  const session = await sessionFromCookie(request);
  if (!session) throw authenticationRequired();
  refuseCrossSite(request);
  const account = await findAccount(session.userId);
  if (!stillValid(account, session.issuedAtMs)) throw authenticationRequired();
  return toCurrentUser(account);
}

export async function requireAdmin(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (user.role !== "admin") throw new AppError("forbidden", "Administrator access required");
  return user;
}

// For server components and actions; React `cache` checks once per render.
export const sessionUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const account = await findAccount(id);
  return stillValid(account, session.issuedAtMs ?? 0) ? toCurrentUser(account) : null;
});
