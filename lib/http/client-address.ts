// The client's address, for rate limits and the audit log. Behind N trusted
// proxies (TRUSTED_PROXY_HOPS) it is the N-th X-Forwarded-For entry from the
// right; entries further left were written by the client and are not trusted.
import { getEnv } from "@/lib/env";

export function clientAddress(request: Request): string {
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // With no proxy, `next start` fills X-Forwarded-For from the socket only when the
  // client sent none, so this value can be spoofed there: per-account limits still hold.
  const index = entries.length - 1 - getEnv().TRUSTED_PROXY_HOPS;
  return (index >= 0 ? entries[index] : entries[0]) ?? "unknown";
}
