// Streams opened with the same credential (a person's tabs share one session
// cookie; a program reuses one token or key) share one credential re-check per
// half heartbeat instead of each running its own: at 1,000 idle streams the
// re-checks are most of the server's idle work (docs/performance.md).
//
// Only the heartbeat's routine check is shared. A revocation notice asks for a
// fresh check (`fresh`), which never reuses an earlier answer, so revoking still
// ends every affected stream at once.
import "server-only";
import { createHash } from "node:crypto";

type Entry = { at: number; result: Promise<boolean> };
const holder = globalThis as unknown as { __darkroomCredentialChecks?: Map<string, Entry> };
const checks = (): Map<string, Entry> => (holder.__darkroomCredentialChecks ??= new Map());

export const credentialKey = (headers: Headers): string =>
  createHash("sha256")
    .update(`${headers.get("authorization") ?? ""}\u0000${headers.get("cookie") ?? ""}`)
    .digest("base64url");

export function sharedCheck(key: string, check: () => Promise<boolean>, options: { maxAgeMs: number; fresh: boolean }): Promise<boolean> {
  const map = checks();
  const now = Date.now();
  const cached = map.get(key);
  if (!options.fresh && cached && now - cached.at < options.maxAgeMs) return cached.result;
  const result = check().catch(() => false);
  map.set(key, { at: now, result });
  // Forget old answers now and then; a map entry is a hash and a promise.
  if (map.size > 1000) for (const [k, e] of map) if (now - e.at >= options.maxAgeMs) map.delete(k);
  return result;
}
