// The OAuth2-style token endpoints' logic: password grant, refresh, revoke.
import "server-only";
import { z } from "zod";
import { invalidCredentials } from "@/lib/http/errors";
import { findUserById } from "@/lib/users/queries";
import { checkCredentials } from "@/lib/users/service";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from "./refresh-tokens";
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

export async function passwordGrant(input: z.infer<typeof passwordGrantSchema>): Promise<TokenPair> {
  const user = await checkCredentials(input.email, input.password);
  if (!user) throw invalidCredentials(); // same answer for unknown email and wrong password
  return pairFor(user.id);
}

export async function refreshGrant(refreshToken: string): Promise<TokenPair> {
  const rotated = await rotateRefreshToken(refreshToken);
  if (!(await findUserById(rotated.userId))) throw invalidCredentials();
  return pairFor(rotated.userId, rotated.refreshToken);
}

export async function revoke(refreshToken: string): Promise<void> {
  await revokeRefreshToken(refreshToken);
}
