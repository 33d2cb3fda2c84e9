// The OAuth2-style token endpoints' logic: password grant, refresh, revoke.
import "server-only";
import { z } from "zod";
import { recordEvent } from "@/lib/audit/service";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from "./refresh-tokens";
import { checkCredentialsThrottled, type SignInOrigin } from "./throttle";
import { issueAccessToken } from "./tokens";

export const passwordGrantSchema = z.object({
  email: z.string({ error: "is required" }).min(1, "is required").max(254),
  password: z.string({ error: "is required" }).min(1, "is required").max(128),
});
export const refreshSchema = z.object({ refresh_token: z.string({ error: "is required" }).min(1, "is required").max(200) });

export type TokenPair = { access_token: string; token_type: "Bearer"; expires_in: number; refresh_token: string };

async function pairFor(userId: string, refreshToken: string, issuedAtMs: number): Promise<TokenPair> {
  const access = await issueAccessToken(userId, issuedAtMs);
  return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, refresh_token: refreshToken };
}

// Same 401 for an unknown email and a wrong password; 429 while throttled.
export async function passwordGrant(input: z.infer<typeof passwordGrantSchema>, origin: SignInOrigin): Promise<TokenPair> {
  // A disabled account fails inside the check, like a wrong password.
  const user = await checkCredentialsThrottled(input.email, input.password, origin);
  const issued = await issueRefreshToken(user.id);
  await recordEvent(user.id, "sign_in", { method: "token" }, origin.address);
  return pairFor(user.id, issued.refreshToken, issued.issuedAtMs);
}

// The account's state (disabled, signed out everywhere) is checked inside the rotation, under its lock.
export async function refreshGrant(refreshToken: string, address: string | null): Promise<TokenPair> {
  const rotated = await rotateRefreshToken(refreshToken, address);
  return pairFor(rotated.userId, rotated.refreshToken, rotated.issuedAtMs);
}

export async function revoke(refreshToken: string): Promise<void> {
  await revokeRefreshToken(refreshToken);
}
