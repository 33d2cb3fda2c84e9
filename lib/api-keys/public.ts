// The public snake_case shape of an API key (GET /api/account/keys, the account
// page). Never the hash, never the owner's id; the key itself only once, at creation.
import type { ApiKeyRow } from "@/db/schema";

export type ApiKeyListRow = Pick<ApiKeyRow, "id" | "name" | "prefix" | "scopes" | "createdAt" | "lastUsedAt" | "expiresAt">;

export type PublicApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
};

export function toPublicApiKey(row: ApiKeyListRow): PublicApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: [...row.scopes],
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
  };
}
