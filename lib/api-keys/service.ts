// Personal API keys: `dk_<prefix>_<secret>`, a 48-bit public prefix (the lookup
// and what the account page shows) and a 256-bit secret. Only a SHA-256 of the
// whole key is stored; the key is shown once, at creation. A key acts for its
// owner with its scopes only, and never on the account itself
// (lib/auth/require-user.ts decides which routes a key may call).
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { recordEvent } from "@/lib/audit/service";
import { invalidCredentials, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import type { Account } from "@/lib/users/queries";
import type { ApiKeyScope, CreateApiKeyInput } from "./input";
import { type PublicApiKey, toPublicApiKey } from "./public";
import * as queries from "./queries";

export const API_KEY_PREFIX = "dk_";
const KEY_PATTERN = /^dk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

// "Not yours", "does not exist" and "already revoked" are the same answer.
export const apiKeyNotFound = () => new NotFoundError("API key not found");

const digest = (key: string) => createHash("sha256").update(key).digest();

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

// Making and revoking keys is written to the person's activity log (name and public prefix only).
export async function createApiKey(userId: string, input: CreateApiKeyInput, address: string | null = null): Promise<PublicApiKey & { key: string }> {
  const prefix = randomBytes(6).toString("hex");
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString("base64url")}`;
  const expiresAt = input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86_400_000) : null;
  const row = await queries.insertApiKey({ userId, name: input.name, prefix, keyHash: digest(key).toString("hex"), scopes: input.scopes, expiresAt });
  if (!row) throw invalidCredentials();
  await recordEvent(userId, "api_key_created", { name: row.name, prefix: row.prefix, scopes: row.scopes.join(",") }, address);
  return { ...toPublicApiKey(row), key };
}

export async function listApiKeys(userId: string): Promise<{ keys: PublicApiKey[] }> {
  return { keys: (await queries.listApiKeys({ userId })).map(toPublicApiKey) };
}

export async function revokeApiKey(userId: string, id: string, address: string | null = null): Promise<void> {
  const revoked = isUuid(id) ? await queries.revokeApiKey({ userId, id: id.toLowerCase() }) : null;
  if (!revoked) throw apiKeyNotFound();
  await recordEvent(userId, "api_key_revoked", { name: revoked.name, prefix: revoked.prefix }, address);
}

export type VerifiedApiKey = { keyId: string; account: Account; scopes: ApiKeyScope[] };

// Any failure (malformed, unknown prefix, wrong secret, revoked, expired,
// account disabled, deleted or signed out everywhere) is the same 401.
export async function verifyApiKey(token: string): Promise<VerifiedApiKey> {
  const match = KEY_PATTERN.exec(token);
  if (!match) throw invalidCredentials();
  const candidate = await queries.findKeyByPrefix(match[1]!);
  const presented = digest(token);
  // Constant-time: the comparison takes as long whichever byte differs.
  const stored = candidate ? Buffer.from(candidate.keyHash, "hex") : Buffer.alloc(presented.length);
  const same = stored.length === presented.length && timingSafeEqual(stored, presented);
  if (!candidate || !same) throw invalidCredentials();
  const used = await queries.liveKeyAccount({ userId: candidate.userId, id: candidate.id });
  if (!used || used.account.disabledAt !== null) throw invalidCredentials();
  return { keyId: candidate.id, account: used.account, scopes: used.scopes };
}
