// The memory of proven credentials (lib/auth/proven-cache.ts): an entry is
// never returned at or past its expiry, the cache never grows past its bound,
// the least recently used entry goes first, and an expired credential is
// never added at all.
import { describe, expect, it } from "vitest";
import { ProvenCache, provenCache } from "@/lib/auth/proven-cache";

describe("ProvenCache", () => {
  it("returns an entry until its expiry and never at or after it", () => {
    const cache = new ProvenCache<string>(10);
    cache.remember("a", "alice", 2_000, 1_000);
    expect(cache.get("a", 1_999)).toBe("alice");
    expect(cache.get("a", 2_000)).toBeUndefined();
    // Once seen expired it is gone, even for a clock that goes back.
    expect(cache.get("a", 1_500)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("does not add a credential that has already expired", () => {
    const cache = new ProvenCache<string>(10);
    cache.remember("a", "alice", 1_000, 1_000);
    cache.remember("b", "bob", Number.NaN, 1_000);
    expect(cache.size).toBe(0);
  });

  it("keeps at most its bound, dropping the least recently used first", () => {
    const cache = new ProvenCache<number>(3);
    for (const k of ["a", "b", "c"]) cache.remember(k, 1, 10_000, 0);
    expect(cache.get("a", 1)).toBe(1); // a is now the most recently used
    cache.remember("d", 1, 10_000, 2);
    expect(cache.size).toBe(3);
    expect(cache.get("b", 3)).toBeUndefined();
    expect(["a", "c", "d"].map((k) => cache.get(k, 3))).toEqual([1, 1, 1]);
  });

  it("keys by a hash that keeps the parts apart and holds no credential", () => {
    expect(ProvenCache.key("ab", "c")).not.toBe(ProvenCache.key("a", "bc"));
    expect(ProvenCache.key("name", "secret-value")).not.toContain("secret");
    expect(ProvenCache.key("x")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("is one cache per name for the process", () => {
    const first = provenCache<string>("unit-test", 5);
    expect(provenCache<string>("unit-test", 5)).toBe(first);
    expect(provenCache<string>("unit-test-other", 5)).not.toBe(first);
  });
});
