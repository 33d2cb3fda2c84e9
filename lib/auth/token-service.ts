// The OAuth2-style token endpoints' logic: password grant, refresh, revoke.
import "server-only";
import { z } from "zod";
import { recordEvent } from "@/lib/audit/events";
import { invalidCredentials } from "@/lib/http/errors";
import { findAccount } from "@/lib/users/queries";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from "./refresh-tokens";
import { checkCredentialsThrottled } from "./throttle";
import { issueAccessToken } from "./tokens";

export const passwordGrantSchema = z.object({
  email: z.string({ error: "is required" }).min(1, "is required").max(254),
  password: z.string({ error: "is required" }).min(1, "is required").max(128),
});
export const refreshSchema = z.object({ refresh_token: z.string({ error: "is required" }).min(1, "is required").max(200) });

export type TokenPair = { access_token: string; token_type: "Bearer"; expires_in: number; refresh_token: string };

async function pairFor(userId: string, refreshToken?: string): Promise<TokenPair> {
  const access = await issueAccessToken(userId);
  return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, refresh_token: refreshToken ?? (await issueRefreshToken(userId)) };
}

// Same 401 for an unknown email and a wrong password; 429 while throttled.
export async function passwordGrant(input: z.infer<typeof passwordGrantSchema>, address: string): Promise<TokenPair> {
  const user = await checkCredentialsThrottled(input.email, input.password, address);
  const account = await findAccount(user.id);
  if (!account || account.disabledAt) throw invalidCredentials();
  await recordEvent(user.id, "sign_in", { method: "token" }, address);
  return pairFor(user.id);
}

export async function refreshGrant(refreshToken: string, address: string): Promise<TokenPair> {
  const rotated = await rotateRefreshToken(refreshToken, address);
  const account = await findAccount(rotated.userId);
  if (!account || account.disabledAt) throw invalidCredentials();
  return pairFor(rotated.userId, rotated.refreshToken);
}

export async function revoke(refreshToken: string): Promise<void> {
  await revokeRefreshToken(refreshToken);
}
