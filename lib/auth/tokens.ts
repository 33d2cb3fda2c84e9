// API access tokens: short-lived HS256 JWTs signed with API_TOKEN_SECRET, a key
// separate from Auth.js's, with their own `typ` and audience, so a session
// cookie cannot pass as a bearer token nor the other way round.
import "server-only";
import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/env";
import { invalidCredentials } from "@/lib/http/errors";

export const ACCESS_TOKEN_TYPE = "at+jwt";
export const ISSUER = "darkroom";
export const AUDIENCE = "darkroom-api";

function key(): Uint8Array {
  return new TextEncoder().encode(getEnv().API_TOKEN_SECRET);
}

export async function issueAccessToken(userId: string): Promise<{ token: string; expiresIn: number }> {
  const expiresIn = getEnv().ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: ACCESS_TOKEN_TYPE })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${expiresIn}s`)
    .sign(key());
  return { token, expiresIn };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Returns the user id of a valid token; any failure is the same 401.
export async function verifyAccessToken(token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, key(), {
      algorithms: ["HS256"], // pinned: no `none`, no algorithm confusion
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ["sub", "jti", "exp", "iat"],
      clockTolerance: 30,
    });
    if (typeof payload.sub !== "string" || !UUID.test(payload.sub)) throw invalidCredentials();
    return payload.sub;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) throw invalidCredentials();
    throw error;
  }
}

// `Authorization: Bearer <token>`; any other shape is an invalid credential.
export function bearerToken(header: string): string {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  if (!match) throw invalidCredentials();
  return match[1]!;
}
