// A bounded memory of credentials this process has already proven — a session
// cookie decrypted, an access token's signature checked — so the proof is done
// once per credential rather than on every request. Why this is safe:
// - it holds only what the proof established (who, which session, when it was
//   issued), never whether the credential is still good: the session row,
//   `tokens_valid_after` and the account's disabled flag are read from the
//   database on every request, so a sign-out, "sign out everywhere" or a
//   disabled account refuses the very next request;
// - an entry never outlives the credential's own expiry;
// - entries are keyed by a SHA-256 of the credential, so no credential is kept
//   in memory, and a tampered one is a different key that must be proven;
// - it is bounded (least recently used out first), and only credentials that
//   passed their proof are added, so garbage cannot fill it.
import { createHash } from "node:crypto";

type Entry<T> = { value: T; expiresAtMs: number };

export class ProvenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly max: number) {}

  // `parts` name the credential unambiguously (e.g. the cookie's name and its value).
  static key(...parts: string[]): string {
    const hash = createHash("sha256");
    for (const [i, part] of parts.entries()) hash.update(i === 0 ? part : `\0${part}`);
    return hash.digest("base64url");
  }

  get(key: string, now = Date.now()): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (now >= hit.expiresAtMs) return undefined;
    this.entries.set(key, hit); // most recently used last
    return hit.value;
  }

  remember(key: string, value: T, expiresAtMs: number, now = Date.now()): void {
    if (!(expiresAtMs > now)) return;
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}

// One cache per name for the whole process: Next.js may load a module once
// per route bundle, and a cache per copy would only multiply the work.
const registry = globalThis as unknown as { __darkroomProvenCaches?: Map<string, ProvenCache<unknown>> };

export function provenCache<T>(name: string, max: number): ProvenCache<T> {
  registry.__darkroomProvenCaches ??= new Map();
  let cache = registry.__darkroomProvenCaches.get(name);
  if (!cache) {
    cache = new ProvenCache<T>(max);
    registry.__darkroomProvenCaches.set(name, cache);
  }
  return cache as ProvenCache<T>;
}
