// The client's address, for rate limits and the audit log.
// Next.js gives route handlers no socket address, and `next start` keeps an
// X-Forwarded-For the client wrote itself (it fills the header only when absent),
// so the header is believed only behind TRUSTED_PROXY_HOPS proxies, each of which
// appends the address it saw: the client is then the N-th entry from the right.
// Without a trusted proxy the address is unknown (null): per-address limits are
// skipped and per-account limits (lib/auth/throttle.ts) bound guessing alone.
import { isIPv4, isIPv6 } from "node:net";
import { getEnv } from "@/lib/env";

export function clientAddress(request: Request): string | null {
  const hops = getEnv().TRUSTED_PROXY_HOPS;
  if (hops === 0) return null;
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const entry = entries[Math.max(0, entries.length - hops)];
  return entry && (isIPv4(entry) || isIPv6(entry)) ? entry : null;
}

// The unit a per-address limit counts: an IPv4 address, or an IPv6 /64 (one
// subscriber's whole prefix, which they can rotate through at will).
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.padStart(4, "0"))
    .join(":")}::/64`;
}
