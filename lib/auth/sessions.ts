// Browser sessions on the server. The Auth.js cookie carries a session id; the
// row decides whether it still works, so signing out (here, from another
// browser on the account page, or everywhere) ends a session at once, even for
// a copied cookie. Rows are user-owned (row-level security like jobs).
import "server-only";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { readAsUser, type Tx, withUser } from "@/db/client";
import { prebuiltSql } from "@/db/prebuilt";
import { sessions, users } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import type { Account } from "@/lib/users/queries";
import { announceCredentialChange } from "./credential-notice";
import { lockAccountForIssue } from "./revocation";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;
// last_seen_at is written at most this often per session, not on every request.
const TOUCH_AFTER_SECONDS = 60;

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

// The account behind a live session, read fresh on every request in one
// statement and one round trip: the session must exist, be this person's, not
// be ended and not have expired, or no row comes back (undefined). The same
// statement records when the session was last seen, at most once a minute.
// Runs in the person's own scope (row-level security on sessions and users).
type SessionAccountRow = { id: string; email: string; name: string | null; role: Account["role"]; disabled_at: string | null; tokens_valid_after: string };

// The statement alone, for a caller that sends it with its own reads in one
// round trip (lib/auth/require-user.ts `requireReader`). The session id must be a UUID.
// Built once (db/prebuilt.ts): the cookie check of every request.
const sessionAccountStatement = prebuiltSql<{ userId: string; sessionId: string }, SessionAccountRow>(
  () => sql`
      with live as (
        select 1 from ${sessions}
        where ${sessions.id} = ${sql.placeholder("sessionId")} and ${sessions.userId} = ${sql.placeholder("userId")} and ${sessions.revokedAt} is null and ${sessions.expiresAt} > now()
      ), touched as (
        update ${sessions} set last_seen_at = now()
        where ${sessions.id} = ${sql.placeholder("sessionId")} and ${sessions.userId} = ${sql.placeholder("userId")} and ${sessions.revokedAt} is null and ${sessions.expiresAt} > now()
          and ${sessions.lastSeenAt} < now() - make_interval(secs => ${TOUCH_AFTER_SECONDS})
        returning 1
      )
      select u.id, u.email, u.name, u.role, u.disabled_at, u.tokens_valid_after
      from ${users} u
      where u.id = ${sql.placeholder("userId")} and exists (select 1 from live)`,
);
export const sessionAccountQuery = (tx: Tx, userId: string, sessionId: string) => sessionAccountStatement(tx, { userId, sessionId });

export function toSessionAccount(rows: readonly SessionAccountRow[]): Account | undefined {
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
    tokensValidAfter: new Date(row.tokens_valid_after),
  };
}

export async function sessionAccount(userId: string, sessionId: string): Promise<Account | undefined> {
  if (!isUuid(sessionId)) return undefined;
  const [rows] = await readAsUser(userId, (tx) => [sessionAccountQuery(tx, userId, sessionId)]);
  return toSessionAccount(rows);
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
