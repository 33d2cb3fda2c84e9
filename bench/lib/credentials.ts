// What each credential costs in CPU alone, in this process, with the same
// libraries and settings as the app: the bearer's jose HS256 verification
// (lib/auth/tokens.ts) against what Auth.js's `auth()` does for a cookie (it
// runs the whole session action: decrypt the JWE, run the callbacks, and
// re-encrypt a refreshed token whose cookie a route handler then drops), and
// against decrypting only. No app code is changed; this sizes the fix.
import { hkdfSync, randomBytes, randomUUID } from "node:crypto";
import { Auth } from "@auth/core";
import Credentials from "@auth/core/providers/credentials";
import { jwtDecrypt, jwtVerify, SignJWT } from "jose";
import { decode, encode } from "next-auth/jwt";
import { median } from "./stats";

export type CredentialCost = { variant: string; cpuMicrosPerOp: number; wallMicrosPerOp: number };

// CPU time (process.cpuUsage, all threads) rather than wall time: other work on
// the machine stretches the wall clock, not the CPU an operation needs. Variants
// take turns in short slices, like the HTTP runs.
async function measureAll(variants: [string, () => Promise<unknown>][], ms: number, rounds = 6): Promise<CredentialCost[]> {
  const cpu = new Map<string, number[]>(variants.map(([v]) => [v, []]));
  const wall = new Map<string, number[]>(variants.map(([v]) => [v, []]));
  for (const [, op] of variants) for (let i = 0; i < 200; i++) await op();
  for (let round = 0; round < rounds; round++) {
    for (const [variant, op] of round % 2 === 0 ? variants : [...variants].reverse()) {
      const deadline = performance.now() + ms / rounds;
      while (performance.now() < deadline) {
        const t = performance.now();
        const c = process.cpuUsage();
        for (let i = 0; i < 20; i++) await op();
        const used = process.cpuUsage(c);
        cpu.get(variant)!.push((used.user + used.system) / 20);
        wall.get(variant)!.push(((performance.now() - t) * 1000) / 20);
      }
    }
  }
  return variants.map(([variant]) => ({
    variant,
    cpuMicrosPerOp: Math.round(median(cpu.get(variant)!)),
    wallMicrosPerOp: Math.round(median(wall.get(variant)!)),
  }));
}

export async function credentialCosts(msPerVariant = 2000): Promise<CredentialCost[]> {
  const userId = randomUUID();
  // Bearer, as lib/auth/tokens.ts issues and verifies it.
  const apiKey = new TextEncoder().encode(randomBytes(32).toString("base64url"));
  const bearer = await new SignJWT({ iat_ms: Date.now() })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: "bench" })
    .setIssuer("darkroom")
    .setAudience("darkroom-api")
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("900s")
    .sign(apiKey);
  const verifyBearer = () =>
    jwtVerify(bearer, apiKey, {
      algorithms: ["HS256"],
      issuer: "darkroom",
      audience: "darkroom-api",
      typ: "at+jwt",
      requiredClaims: ["sub", "jti", "exp", "iat", "iat_ms"],
      clockTolerance: 30,
      maxTokenAge: 930,
    });

  // Session cookie, as lib/auth/nextauth.ts configures Auth.js (JWT strategy, salt = cookie name).
  const secret = randomBytes(32).toString("base64url");
  const salt = "authjs.session-token";
  const maxAge = 7 * 24 * 3600;
  const cookie = await encode({ token: { sub: userId, uid: userId, iat_ms: Date.now() }, secret, salt, maxAge });
  const config = {
    secret,
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "jwt" as const, maxAge },
    providers: [Credentials({ credentials: { email: {}, password: {} }, authorize: async () => null })],
    callbacks: {
      jwt: ({ token }: { token: Record<string, unknown> }) => token,
      session: ({ session, token }: { session: any; token: Record<string, unknown> }) => {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
  // What next-auth's getSession() does for `auth()`: the session action on an internal request.
  const sessionAction = async () => {
    const request = new Request("http://127.0.0.1/api/auth/session", { headers: { cookie: `${salt}=${cookie}` } });
    const res = (await Auth(request, config as Parameters<typeof Auth>[1])) as Response;
    return res.json();
  };
  const decodeOnly = () => decode({ token: cookie, secret, salt });
  // Auth.js derives the key (HKDF) and its thumbprint on every call; derived once, only the decryption is left.
  const derivedKey = new Uint8Array(hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, 64));
  const decryptCachedKey = () =>
    jwtDecrypt(cookie, derivedKey, { clockTolerance: 15, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256CBC-HS512"] });
  const decodeAndReencode = async () => {
    const token = await decode({ token: cookie, secret, salt });
    return encode({ token: token!, secret, salt, maxAge });
  };

  const user = (await sessionAction()) as { user?: { id?: string } };
  if (user.user?.id !== userId) throw new Error("credential what-if: the session action did not return the user");
  if ((await decryptCachedKey()).payload.uid !== userId) throw new Error("credential what-if: the cached key did not decrypt the cookie");
  return measureAll(
    [
      ["bearer: jose HS256 verify", verifyBearer],
      ["cookie: Auth.js session action (auth())", sessionAction],
      ["cookie: decrypt + re-encrypt", decodeAndReencode],
      ["cookie: decrypt only", decodeOnly],
      ["cookie: decrypt, derived key cached", decryptCachedKey],
    ],
    msPerVariant,
  );
}
