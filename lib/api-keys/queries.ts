// Data access for personal API keys. Like every user-owned table: each function
// that touches a person's keys takes the owner's id, runs inside `withUser` (RLS)
// and filters on user_id. The one exception is `findKeyByPrefix`, which runs
// before anyone is known and goes only through `darkroom_api_key_lookup`
// (migration 0008): a live key's id, owner and hash, nothing else.
import "server-only";
import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { asApp, withUser } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { announceCredentialChange } from "@/lib/auth/credential-notice";
import { lockAccountForIssue } from "@/lib/auth/revocation";
import { type Account, selectAccount } from "@/lib/users/queries";
import type { ApiKeyScope } from "./input";
import type { ApiKeyListRow } from "./public";

// last_used_at is written at most this often per key, not on every request.
const TOUCH_AFTER_MS = 60_000;

const listColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
};

const live = () => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)));

// Issued under the account lock (lib/auth/revocation.ts) like every credential,
// so a concurrent "sign out everywhere" either revokes this key too or came
// strictly before it. Null when the account is gone or disabled.
export async function insertApiKey(input: {
  userId: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
}): Promise<ApiKeyListRow | null> {
  return withUser(input.userId, async (tx) => {
    const issuedAtMs = await lockAccountForIssue(tx, input.userId);
    if (issuedAtMs === null) return null;
    const [row] = await tx
      .insert(apiKeys)
      .values({ ...input, createdAt: new Date(issuedAtMs) })
      .returning(listColumns);
    return row ?? null;
  });
}

// Keys not revoked, newest first (expired ones stay listed until revoked, with their expiry).
export async function listApiKeys(input: { userId: string }): Promise<ApiKeyListRow[]> {
  return withUser(input.userId, (tx) =>
    tx
      .select(listColumns)
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, input.userId), isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt)),
  );
}

// Null when the key is not this person's, does not exist or was already revoked.
export async function revokeApiKey(input: { userId: string; id: string }): Promise<{ name: string; prefix: string } | null> {
  const rows = await withUser(input.userId, async (tx) => {
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, input.id), eq(apiKeys.userId, input.userId), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
    // A stream opened with this key ends now (lib/events).
    if (revoked.length === 1) await announceCredentialChange(tx, input.userId);
    return revoked;
  });
  return rows[0] ?? null;
}

export type KeyCandidate = { id: string; userId: string; keyHash: string };

export async function findKeyByPrefix(prefix: string): Promise<KeyCandidate | undefined> {
  const rows = await asApp((tx) =>
    tx.execute<{ id: string; user_id: string; key_hash: string }>(sql`select id, user_id, key_hash from darkroom_api_key_lookup(${prefix})`),
  );
  const row = rows[0];
  return row ? { id: row.id, userId: row.user_id, keyHash: row.key_hash } : undefined;
}

// The account behind a live key and the key's scopes, in the owner's own scope;
// undefined when the key was revoked or expired meanwhile, or was issued before
// the account was signed out everywhere. Notes the use at most once a minute.
export async function liveKeyAccount(input: { userId: string; id: string }): Promise<{ account: Account; scopes: ApiKeyScope[] } | undefined> {
  return withUser(input.userId, async (tx) => {
    const account = await selectAccount(tx, input.userId);
    if (!account) return undefined;
    const [key] = await tx
      .select({ scopes: apiKeys.scopes, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, input.id), eq(apiKeys.userId, input.userId), live()));
    if (!key || key.createdAt.getTime() < account.tokensValidAfter.getTime()) return undefined;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
      await tx
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(and(eq(apiKeys.id, input.id), eq(apiKeys.userId, input.userId)));
    }
    return { account, scopes: key.scopes };
  });
}
