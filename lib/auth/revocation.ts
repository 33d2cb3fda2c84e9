// Ending every credential of a person at once (sessions, access and refresh
// tokens, personal API keys): sign out everywhere, an admin disabling the
// account, and account deletion all come through here.
//
// Why one transaction under the account row's lock: a token refresh takes the
// same row lock (FOR SHARE) while it checks its token and inserts the next one.
// So either the refresh commits first and this revocation then sees and revokes
// the token it issued, or this commits first and the refresh finds its token
// revoked and issued before `tokens_valid_after`. No order leaves a working token.
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Tx, withUser } from "@/db/client";
import { apiKeys, refreshTokens, sessions, users } from "@/db/schema";
import { selectAccount } from "@/lib/users/queries";
import { announceCredentialChange } from "./credential-notice";

// The database clock, rounded up to the next millisecond: every credential issued
// before (credentials carry their issue time in whole ms, from the same clock
// under the same lock) is older than this, whatever the rounding.
const NEXT_MS = sql`date_trunc('milliseconds', clock_timestamp()) + interval '1 millisecond'`;

export async function revokeAllCredentials(userId: string, options: { disable?: boolean } = {}): Promise<boolean> {
  return withUser(userId, async (tx) => {
    if (!(await selectAccount(tx, userId, "update"))) return false;
    await tx
      .update(users)
      .set({ tokensValidAfter: NEXT_MS, ...(options.disable ? { disabledAt: sql`now()` } : {}) })
      .where(eq(users.id, userId));
    await tx
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    // Personal API keys end too: a leaked key must not outlive "sign out everywhere".
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
    // Open event streams of this person end now, not at their next heartbeat.
    await announceCredentialChange(tx, userId);
    return true;
  });
}

// For every credential being issued: holds the account row FOR SHARE (so a
// concurrent revocation is ordered before or after this transaction) and reads
// the issue time from the database clock, the clock `tokens_valid_after` uses.
// Null when the account is gone or disabled.
export async function lockAccountForIssue(tx: Tx, userId: string): Promise<number | null> {
  const account = await selectAccount(tx, userId, "share");
  if (!account || account.disabledAt) return null;
  const [clock] = await tx.execute<{ ms: string }>(sql`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`);
  return Number(clock!.ms);
}
