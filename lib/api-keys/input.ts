// What a request about personal API keys may contain (POST /api/account/keys).
// Ids from the path are not parsed here: the service checks them with isUuid.
import { z } from "zod";
import { apiKeyScopes } from "@/db/schema";

export const API_KEY_SCOPES = apiKeyScopes;
export type ApiKeyScope = (typeof apiKeyScopes)[number];
export const MAX_API_KEY_NAME_LENGTH = 100;
export const MAX_API_KEY_DAYS = 365;

export const createApiKeyInput = z.object({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(MAX_API_KEY_NAME_LENGTH, `must be at most ${MAX_API_KEY_NAME_LENGTH} characters`),
  scopes: z
    .array(z.enum(apiKeyScopes, { error: `must be one of: ${apiKeyScopes.join(", ")}` }), { error: "must be a list of scopes" })
    .min(1, "must name at least one scope")
    .max(apiKeyScopes.length * 2, "has too many entries")
    // Stored in one order without repeats, whatever the request's order.
    .transform((scopes) => apiKeyScopes.filter((s) => scopes.includes(s))),
  // Absent or null: the key does not expire. Forms send numbers as text.
  expires_in_days: z.preprocess(
    (v) => (v === "" || v === null ? undefined : typeof v === "string" && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `must be a whole number of days from 1 to ${MAX_API_KEY_DAYS}` })
      .int(`must be a whole number of days from 1 to ${MAX_API_KEY_DAYS}`)
      .min(1, `must be a whole number of days from 1 to ${MAX_API_KEY_DAYS}`)
      .max(MAX_API_KEY_DAYS, `must be a whole number of days from 1 to ${MAX_API_KEY_DAYS}`)
      .optional(),
  ),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;
export type CreateApiKeyRequest = z.input<typeof createApiKeyInput>;
