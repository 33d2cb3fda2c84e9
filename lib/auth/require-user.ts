// The one way to get the caller. If an Authorization header is present it
// alone decides (an invalid bearer is a 401 even with a valid session cookie);
// otherwise the Auth.js session cookie. Either way the account must still
// exist, not be disabled, and not have been signed out everywhere since the
// credential was issued.
import "server-only";
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

export async function requireUser(request: Request): Promise<CurrentUser> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = await verifyAccessToken(bearerToken(header));
    const account = await findAccount(token.userId);
    if (!stillValid(account, token.issuedAtMs)) throw invalidCredentials();
    return toCurrentUser(account);
  }
  const session = await auth();
  if (!session?.user?.id) throw authenticationRequired();
  refuseCrossSite(request);
  const account = await findAccount(session.user.id);
  if (!stillValid(account, session.issuedAtMs ?? 0)) throw authenticationRequired();
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
