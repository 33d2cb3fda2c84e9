// OWASP's device cookie: a browser that signed in to an account successfully
// gets a signed cookie naming that account and a random nonce. Sign-in attempts
// that carry a valid one are limited per device, not by the account's lockout,
// so an attacker guessing from anywhere cannot lock the owner out, and the
// owner's browser cannot be used to guess faster than its own small allowance.
import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

export const DEVICE_COOKIE = "darkroom_device";
export const DEVICE_COOKIE_MAX_AGE = 180 * 86_400;

export const accountKey = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 40);

function sign(payload: string): string {
  // A key of its own, derived from AUTH_SECRET: a device cookie is never a session.
  const key = createHash("sha256").update(`darkroom-device-cookie|${getEnv().AUTH_SECRET}`).digest();
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function issueDeviceCookie(email: string): string {
  const payload = `${accountKey(email)}.${randomBytes(16).toString("base64url")}`;
  return `${payload}.${sign(payload)}`;
}

// The device's nonce if the cookie is ours and names this account; else null.
export function deviceNonce(cookie: string | undefined, email: string): string | null {
  if (!cookie) return null;
  const parts = cookie.split(".");
  if (parts.length !== 3) return null;
  const [account, nonce, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${account}.${nonce}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return account === accountKey(email) ? nonce : null;
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
