// Opaque rotating refresh tokens: `<user id>.<256 random bits>`. Only a SHA-256
// of the token is stored. The user id prefix lets the lookup run inside that
// user's RLS-scoped transaction; a forged prefix simply finds nothing.
import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { type Tx, withUser } from "@/db/client";
import { refreshTokens } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { getEnv } from "@/lib/env";
import { invalidCredentials } from "@/lib/http/errors";
import { logger } from "@/lib/log";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

function parse(token: string): string {
  const [userId, secret, extra] = token.split(".");
  if (!userId || !UUID.test(userId) || !secret || secret.length < 40 || extra !== undefined) throw invalidCredentials();
  return userId.toLowerCase();
}

async function insertToken(tx: Tx, userId: string, familyId: string): Promise<string> {
  const token = `${userId}.${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + getEnv().REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await tx.insert(refreshTokens).values({ userId, familyId, tokenHash: digest(token), expiresAt });
  return token;
}

export function issueRefreshToken(userId: string): Promise<string> {
  return withUser(userId, (tx) => insertToken(tx, userId, randomUUID()));
}

// Rotation with reuse detection: a token works once. Presenting a used token
// again means it was copied, so its whole family is revoked.
export async function rotateRefreshToken(token: string, address: string | null = null): Promise<{ userId: string; refreshToken: string }> {
  const userId = parse(token);
  const outcome = await withUser(userId, async (tx) => {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tokenHash, digest(token))))
      .for("update");
    if (!row || row.revokedAt) return { kind: "invalid" as const };
    if (row.usedAt) {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return { kind: "reused" as const };
    }
    if (row.expiresAt.getTime() <= Date.now()) return { kind: "invalid" as const };
    await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id));
    return { kind: "rotated" as const, refreshToken: await insertToken(tx, userId, row.familyId) };
  });
  if (outcome.kind === "reused") {
    logger.warn({ event: "refresh_token_reuse", user_id: userId });
    await recordEvent(userId, "refresh_token_reuse", { action: "token family revoked" }, address);
  }
  if (outcome.kind !== "rotated") throw invalidCredentials();
  return { userId, refreshToken: outcome.refreshToken };
}

// "Sign out everywhere": every refresh token of the person stops working.
export async function revokeAllRefreshTokens(userId: string): Promise<void> {
  await withUser(userId, (tx) =>
    tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))),
  );
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
