// The OpenAI-compatible gateway's pure parts: how OpenAI's size, quality and
// style map onto a Darkroom job, and the signed image links (a tampered,
// foreign-keyed or expired link never verifies).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { aspectRatioFor, generationInput, qualityFor, styleFor } from "@/lib/gateway/input";
import { linkKey, signLink, verifyLink } from "@/lib/gateway/links";

const ALL = ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"];

describe("mapping OpenAI's request onto a job", () => {
  it.each([
    ["1024x1024", ALL, "1:1"],
    ["256x256", ALL, "1:1"],
    ["auto", ALL, "1:1"],
    [undefined, ALL, "1:1"],
    ["1792x1024", ALL, "16:9"],
    ["1024x1792", ALL, "9:16"],
    ["1536x1024", ALL, "3:2"],
    ["1024x1536", ALL, "2:3"],
    ["1536x864", ALL, "16:9"],
    ["1280x960", ALL, "4:3"],
    // Only what the model offers: OpenAI's gpt-image sizes for a wide request.
    ["1792x1024", ["1:1", "3:2", "2:3"], "3:2"],
    ["1024x1792", ["1:1"], "1:1"],
  ])("size %s with ratios %j is %s", (size, offered, expected) => {
    expect(aspectRatioFor(size, offered)).toBe(expected);
  });

  it.each([
    ["hd", "256x256", "high"],
    ["high", undefined, "high"],
    ["standard", "1792x1024", "standard"],
    ["low", undefined, "standard"],
    ["medium", undefined, "standard"],
    ["auto", "1024x1024", "high"],
    [undefined, "512x512", "standard"],
    [undefined, "768x768", "standard"],
    [undefined, "1024x1792", "high"],
    [undefined, undefined, "high"],
  ] as const)("quality %s at size %s is %s", (quality, size, expected) => {
    expect(qualityFor(quality, size)).toBe(expected);
  });

  it("maps vivid to digital-art, natural and nothing to realistic, and keeps Darkroom's own styles", () => {
    expect(styleFor("vivid")).toBe("digital-art");
    expect(styleFor("natural")).toBe("realistic");
    expect(styleFor(undefined)).toBe("realistic");
    expect(styleFor("watercolor")).toBe("watercolor");
  });

  it("reads OpenAI's nulls as absent and refuses wrong types by name", () => {
    expect(generationInput.parse({ prompt: "p", n: null, size: null, quality: null, style: null, response_format: null, model: null })).toEqual({
      prompt: "p",
    });
    for (const [body, field] of [
      [{ prompt: "p", n: "2" }, "n"],
      [{ prompt: "p", size: "1024*1024" }, "size"],
      [{ prompt: "p", size: "0x1024" }, "size"],
      [{ prompt: "p", stream: true }, "stream"],
      [{}, "prompt"],
    ] as const) {
      const result = generationInput.safeParse(body);
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual([field]);
    }
  });
});

describe("signed image links", () => {
  const key = linkKey("a-test-secret-that-is-long-enough-0123456789");
  const claims = { imageId: randomUUID(), userId: randomUUID(), issuedAtMs: Date.now(), expiresAt: Math.floor(Date.now() / 1000) + 3600 };
  const now = Math.floor(Date.now() / 1000);

  it("verifies its own link and reads back what it says", () => {
    const token = signLink(key, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]{100}$/);
    expect(verifyLink(key, token, now)).toEqual(claims);
  });

  it("refuses a link once it has expired", () => {
    const token = signLink(key, claims);
    expect(verifyLink(key, token, claims.expiresAt - 1)).not.toBeNull();
    expect(verifyLink(key, token, claims.expiresAt)).toBeNull();
  });

  it("refuses every single-character change, another key's link, and anything not a link", () => {
    const token = signLink(key, claims);
    for (let i = 0; i < token.length; i++) {
      const changed = `${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`;
      expect(verifyLink(key, changed, now), `position ${i}`).toBeNull();
    }
    expect(verifyLink(linkKey("another-secret-that-is-long-enough-012345678"), token, now)).toBeNull();
    for (const junk of ["", "x", token.slice(1), `${token}A`, Buffer.alloc(75).toString("base64url")]) expect(verifyLink(key, junk, now)).toBeNull();
  });

  it("derives a key of its own, not AUTH_SECRET itself", () => {
    const secret = "a-test-secret-that-is-long-enough-0123456789";
    expect(linkKey(secret).equals(Buffer.from(secret))).toBe(false);
    expect(linkKey(secret)).toHaveLength(32);
  });
});
