// Browser sessions on the server. The Auth.js cookie carries a session id; the
// row decides whether it still works, so signing out (here, from another
// browser on the account page, or everywhere) ends a session at once, even for
// a copied cookie. Rows are user-owned (row-level security like jobs).
import "server-only";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { withUser } from "@/db/client";
import { sessions } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { type Account, selectAccount } from "@/lib/users/queries";
import { announceCredentialChange } from "./credential-notice";
import { lockAccountForIssue } from "./revocation";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;
// last_seen_at is written at most this often per session, not on every request.
const TOUCH_AFTER_MS = 60_000;

// Control characters never reach the database (or the account page) from a header.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const clean = (value: string | null, max: number) => (value ? value.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, max) || null : null);

// Issued under the account lock (lib/auth/revocation.ts), so a concurrent
// "sign out everywhere" either ends this session too or came strictly before it.
export async function createSession(
  userId: string,
  origin: { userAgent: string | null; address: string | null },
): Promise<{ sessionId: string; issuedAtMs: number } | null> {
  return withUser(userId, async (tx) => {
    const issuedAtMs = await lockAccountForIssue(tx, userId);
    if (issuedAtMs === null) return null;
    // Sessions that ended long ago are dropped as new ones begin.
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, sql`now() - interval '30 days'`)));
    const [row] = await tx
      .insert(sessions)
      .values({
        userId,
        userAgent: clean(origin.userAgent, 300),
        ip: clean(origin.address, 64),
        expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      })
      .returning({ id: sessions.id });
    return { sessionId: row!.id, issuedAtMs };
  });
}

// The account behind a live session, in one transaction; undefined when the
// session was ended, has expired, or is not this person's.
export async function sessionAccount(userId: string, sessionId: string): Promise<Account | undefined> {
  if (!isUuid(sessionId)) return undefined;
  return withUser(userId, async (tx) => {
    const [live] = await tx
      .select({ lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
    if (!live) return undefined;
    if (Date.now() - live.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await tx
        .update(sessions)
        .set({ lastSeenAt: sql`now()` })
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
    }
    return selectAccount(tx, userId);
  });
}

// Ends one of the person's sessions; false when there is no such live session of theirs.
export async function endSession(userId: string, sessionId: string): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  const rows = await withUser(userId, async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      .returning({ id: sessions.id });
    // A stream opened with this session ends now (lib/events).
    if (ended.length === 1) await announceCredentialChange(tx, userId);
    return ended;
  });
  return rows.length === 1;
}

export type PublicSession = { id: string; browser: string; address: string | null; created_at: string; last_seen_at: string; current: boolean };

export async function listSessions(userId: string, currentSessionId?: string): Promise<PublicSession[]> {
  const rows = await withUser(userId, (tx) =>
    tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      .orderBy(desc(sessions.lastSeenAt))
      .limit(100),
  );
  return rows.map((s) => ({
    id: s.id,
    browser: describeBrowser(s.userAgent),
    address: s.ip,
    created_at: s.createdAt.toISOString(),
    last_seen_at: s.lastSeenAt.toISOString(),
    current: s.id === currentSessionId,
  }));
}

// "Firefox on Linux": enough to recognise a session, nothing more.
export function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\//.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : "Browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "an unknown system";
  return `${browser} on ${os}`;
}
