// Opaque rotating refresh tokens: `<user id>.<256 random bits>`. Only a SHA-256
// of the token is stored. The user id prefix lets the lookup run inside that
// user's RLS-scoped transaction; a forged prefix simply finds nothing.
import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { type Tx, withUser } from "@/db/client";
import { refreshTokens } from "@/db/schema";
import { recordEvent } from "@/lib/audit/service";
import { getEnv } from "@/lib/env";
import { invalidCredentials } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { logger } from "@/lib/log";
import { selectAccount } from "@/lib/users/queries";
import { lockAccountForIssue } from "./revocation";

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

function parse(token: string): string {
  const [userId, secret, extra] = token.split(".");
  if (!userId || !isUuid(userId) || !secret || secret.length < 40 || extra !== undefined) throw invalidCredentials();
  return userId.toLowerCase();
}

// A token expires after REFRESH_TOKEN_TTL_DAYS unused, and never after its
// family's absolute end (REFRESH_TOKEN_FAMILY_DAYS from the sign-in): rotation
// does not make a stolen family live for ever.
async function insertToken(tx: Tx, userId: string, familyId: string, familyExpiresAt: Date): Promise<string> {
  const token = `${userId}.${randomBytes(32).toString("base64url")}`;
  const ttlEnd = Date.now() + getEnv().REFRESH_TOKEN_TTL_DAYS * 86_400_000;
  const expiresAt = new Date(Math.min(ttlEnd, familyExpiresAt.getTime()));
  await tx.insert(refreshTokens).values({ userId, familyId, tokenHash: digest(token), expiresAt, familyExpiresAt });
  return token;
}

// A new family, at sign-in. Issued under the account lock (lib/auth/revocation.ts).
export async function issueRefreshToken(userId: string): Promise<{ refreshToken: string; issuedAtMs: number }> {
  const familyEnd = new Date(Date.now() + getEnv().REFRESH_TOKEN_FAMILY_DAYS * 86_400_000);
  const issued = await withUser(userId, async (tx) => {
    const issuedAtMs = await lockAccountForIssue(tx, userId);
    return issuedAtMs === null ? null : { refreshToken: await insertToken(tx, userId, randomUUID(), familyEnd), issuedAtMs };
  });
  if (!issued) throw invalidCredentials();
  return issued;
}

export type Rotated = { userId: string; refreshToken: string; issuedAtMs: number };

// Rotation with reuse detection: a token works once. Presenting a used token
// again means it was copied, so its whole family is revoked.
// The account row is held FOR SHARE throughout, so a concurrent "sign out
// everywhere" (lib/auth/revocation.ts, FOR UPDATE) is ordered strictly before or
// after this rotation, and the new credentials' issue time comes from the
// database clock under that lock.
export async function rotateRefreshToken(token: string, address: string | null = null): Promise<Rotated> {
  const userId = parse(token);
  const outcome = await withUser(userId, async (tx) => {
    const issuedAtMs = await lockAccountForIssue(tx, userId);
    const account = await selectAccount(tx, userId);
    if (issuedAtMs === null || !account) return { kind: "invalid" as const };
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tokenHash, digest(token))))
      .for("update");
    if (!row || row.revokedAt || row.createdAt.getTime() < account.tokensValidAfter.getTime()) return { kind: "invalid" as const };
    if (row.usedAt) {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return { kind: "reused" as const };
    }
    if (row.expiresAt.getTime() <= Date.now() || row.familyExpiresAt.getTime() <= Date.now()) return { kind: "invalid" as const };
    await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id));
    return { kind: "rotated" as const, refreshToken: await insertToken(tx, userId, row.familyId, row.familyExpiresAt), issuedAtMs };
  });
  if (outcome.kind === "reused") {
    logger.warn({ event: "refresh_token_reuse", user_id: userId });
    await recordEvent(userId, "refresh_token_reuse", { action: "token family revoked" }, address);
  }
  if (outcome.kind !== "rotated") throw invalidCredentials();
  return { userId, refreshToken: outcome.refreshToken, issuedAtMs: outcome.issuedAtMs };
}

export async function revokeRefreshToken(token: string): Promise<void> {
  let userId: string;
  try {
    userId = parse(token);
  } catch {
    return; // RFC 7009: revoking an invalid token is not an error
  }
  await withUser(userId, (tx) =>
    tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tokenHash, digest(token)), isNull(refreshTokens.revokedAt))),
  );
}
