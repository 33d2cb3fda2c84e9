// Short-lived signed links to one image, for `response_format: "url"`. The
// link is its own credential, so it says exactly which image of whose, until
// when, and since when: a token packs the image id, the owner's id, the issue
// and expiry times and an HMAC-SHA256 over all of them, keyed with a
// key derived (HKDF) from AUTH_SECRET for this one purpose. Verification
// recomputes the MAC and compares in constant time; anything wrong is `null`,
// and the route answers every `null` exactly like a missing image.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

const VERSION = 1;
const UUID_BYTES = 16;
// version, image id, owner id, issued at (milliseconds, 6 bytes), expires at (seconds, 4 bytes)
const BODY_BYTES = 1 + UUID_BYTES * 2 + 6 + 4;
const MAC_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{100}$/;

// `issuedAtMs`: milliseconds, comparable with an account's tokens_valid_after; `expiresAt`: seconds.
export type LinkClaims = { imageId: string; userId: string; issuedAtMs: number; expiresAt: number };

export function linkKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "darkroom", "darkroom image links v1", 32));
}

const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");
const uuidText = (bytes: Buffer) => {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const mac = (key: Buffer, body: Buffer) => createHmac("sha256", key).update(body).digest();

export function signLink(key: Buffer, claims: LinkClaims): string {
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(claims.imageId).copy(body, 1);
  uuidBytes(claims.userId).copy(body, 1 + UUID_BYTES);
  body.writeUIntBE(claims.issuedAtMs, 1 + UUID_BYTES * 2, 6);
  body.writeUInt32BE(claims.expiresAt, 1 + UUID_BYTES * 2 + 6);
  return Buffer.concat([body, mac(key, body)]).toString("base64url");
}

// `nowSeconds` is passed in so tests can check expiry without waiting.
export function verifyLink(key: Buffer, token: string, nowSeconds: number): LinkClaims | null {
  if (!TOKEN_PATTERN.test(token)) return null;
  const raw = Buffer.from(token, "base64url");
  if (raw.length !== BODY_BYTES + MAC_BYTES) return null;
  const body = raw.subarray(0, BODY_BYTES);
  const given = raw.subarray(BODY_BYTES);
  // Constant time: how much of a forged MAC is right is not measurable.
  if (!timingSafeEqual(given, mac(key, body)) || body.readUInt8(0) !== VERSION) return null;
  const claims = {
    imageId: uuidText(body.subarray(1, 1 + UUID_BYTES)),
    userId: uuidText(body.subarray(1 + UUID_BYTES, 1 + UUID_BYTES * 2)),
    issuedAtMs: body.readUIntBE(1 + UUID_BYTES * 2, 6),
    expiresAt: body.readUInt32BE(1 + UUID_BYTES * 2 + 6),
  };
  return claims.expiresAt > nowSeconds ? claims : null;
}
