// API access tokens: short-lived HS256 JWTs signed with API_TOKEN_SECRET, a key
// separate from Auth.js's, with their own `typ` and audience, so a session
// cookie cannot pass as a bearer token nor the other way round (RFC 8725 §3.11).
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/env";
import { invalidCredentials } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { ProvenCache, provenCache } from "./proven-cache";

export const ACCESS_TOKEN_TYPE = "at+jwt";
export const ISSUER = "darkroom";
export const AUDIENCE = "darkroom-api";

type SigningKey = { kid: string; key: Uint8Array };

const toKey = (secret: string): SigningKey => ({
  kid: createHash("sha256").update(secret).digest("base64url").slice(0, 12),
  key: new TextEncoder().encode(secret),
});

// Rotation: tokens are signed with the current key; the previous key
// (API_TOKEN_SECRET_PREVIOUS) still verifies until its tokens have expired
// (≤ 15 minutes), after which the variable can be removed.
// Derived once per process: the environment is validated and fixed at start-up.
let derived: { current: SigningKey; accepted: SigningKey[] } | undefined;
function keys(): { current: SigningKey; accepted: SigningKey[] } {
  if (derived) return derived;
  const env = getEnv();
  const current = toKey(env.API_TOKEN_SECRET);
  const accepted = [current, ...(env.API_TOKEN_SECRET_PREVIOUS ? [toKey(env.API_TOKEN_SECRET_PREVIOUS)] : [])];
  derived = { current, accepted };
  return derived;
}

// `issuedAtMs` is checked against "sign out everywhere" on every request; a
// refresh passes the database's clock read under the account lock.
export async function issueAccessToken(userId: string, issuedAtMs = Date.now()): Promise<{ token: string; expiresIn: number }> {
  const expiresIn = getEnv().ACCESS_TOKEN_TTL_SECONDS;
  const { current } = keys();
  const token = await new SignJWT({ iat_ms: issuedAtMs })
    .setProtectedHeader({ alg: "HS256", typ: ACCESS_TOKEN_TYPE, kid: current.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${expiresIn}s`)
    .sign(current.key);
  return { token, expiresIn };
}

export type VerifiedAccessToken = { userId: string; issuedAtMs: number };

// Tokens already verified, so an API client's token is checked once rather
// than on every request (why that is safe: lib/auth/proven-cache.ts; the
// account, `tokens_valid_after` and the disabled flag are read on every
// request by lib/auth/require-user.ts). An entry ends when the token's `exp`
// or maximum age is reached, without the clock tolerance: past that, jose
// decides again. The signing keys are fixed for the life of the process.
const verifiedTokens = provenCache<VerifiedAccessToken>("access-tokens", 10_000);

// Any failure is the same 401, decided before any database lookup.
export async function verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
  const cacheKey = ProvenCache.key(token);
  const hit = verifiedTokens.get(cacheKey);
  if (hit) return hit;
  try {
    const { kid } = decodeProtectedHeader(token);
    const match = keys().accepted.find((k) => k.kid === kid);
    if (!match) throw invalidCredentials();
    const { payload } = await jwtVerify(token, match.key, {
      algorithms: ["HS256"], // pinned: no `none`, no algorithm confusion
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ["sub", "jti", "exp", "iat", "iat_ms"],
      clockTolerance: 30,
      maxTokenAge: getEnv().ACCESS_TOKEN_TTL_SECONDS + 30,
    });
    if (typeof payload.sub !== "string" || !isUuid(payload.sub) || typeof payload.iat_ms !== "number") throw invalidCredentials();
    // `nbf` is optional, but when present jose enforces it; an `iat` in the future is refused too.
    if (payload.iat! * 1000 > Date.now() + 30_000) throw invalidCredentials();
    const verified = Object.freeze({ userId: payload.sub, issuedAtMs: payload.iat_ms });
    verifiedTokens.remember(cacheKey, verified, Math.min(payload.exp! * 1000, (payload.iat! + getEnv().ACCESS_TOKEN_TTL_SECONDS) * 1000));
    return verified;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) throw invalidCredentials();
    throw error;
  }
}

// Exactly `Authorization: Bearer <token>`; any other shape is an invalid credential.
export function bearerToken(header: string): string {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  if (!match) throw invalidCredentials();
  return match[1]!;
}
