// Forges access tokens with the test server's real key (read from its DATA_DIR),
// so each claim can be broken on its own and the server's checks proved one by one.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { inject } from "vitest";

export function serverSecrets(): { authSecret: string; apiTokenSecret: string } {
  return JSON.parse(readFileSync(path.join(inject("dataDir"), "secrets.json"), "utf8"));
}

export const kidOf = (secret: string) => createHash("sha256").update(secret).digest("base64url").slice(0, 12);

type Forge = {
  sub: string;
  secret?: string;
  alg?: string;
  typ?: string;
  kid?: string;
  iss?: string;
  aud?: string;
  iatSeconds?: number;
  expSeconds?: number;
  nbfSeconds?: number;
  iatMs?: number | null;
  jti?: string | null;
};

export async function forgeToken(options: Forge): Promise<string> {
  const secret = options.secret ?? serverSecrets().apiTokenSecret;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  if (options.iatMs !== null) claims.iat_ms = options.iatMs ?? Date.now();
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: options.typ ?? "at+jwt", kid: options.kid ?? kidOf(secret) })
    .setIssuer(options.iss ?? "darkroom")
    .setAudience(options.aud ?? "darkroom-api")
    .setSubject(options.sub)
    .setIssuedAt(options.iatSeconds ?? now)
    .setExpirationTime(options.expSeconds ?? now + 600);
  if (options.jti !== null) jwt.setJti(options.jti ?? randomUUID());
  if (options.nbfSeconds !== undefined) jwt.setNotBefore(options.nbfSeconds);
  return jwt.sign(new TextEncoder().encode(secret));
}

export function unsignedToken(sub: string): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: "none", typ: "at+jwt" })}.${enc({ iss: "darkroom", aud: "darkroom-api", sub, iat: now, exp: now + 600, jti: randomUUID(), iat_ms: Date.now() })}.`;
}
