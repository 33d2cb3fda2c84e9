// IMAGE_MODEL parsing: only `local/sketch` or `<provider>:<model>` with a known
// provider and a sane model name is accepted; anything else names the problem.
import { describe, expect, it } from "vitest";
import { LOCAL_MODEL_ID, missingProviderSettings, PROVIDERS, parseModelId } from "@/lib/generation/models/catalog";

describe("parseModelId", () => {
  it("accepts the offline renderer", () => {
    expect(parseModelId(LOCAL_MODEL_ID)).toEqual({ ok: true, ref: { provider: "local", model: "sketch" } });
  });

  it.each([
    ["openai:gpt-image-1", "openai", "gpt-image-1"],
    ["openai:dall-e-3", "openai", "dall-e-3"],
    ["google:gemini-2.5-flash-image", "google", "gemini-2.5-flash-image"],
    // Replicate versions carry `/` and `:` in the model part: only the first colon splits.
    ["replicate:black-forest-labs/flux-schnell:abc123", "replicate", "black-forest-labs/flux-schnell:abc123"],
    ["fal:fal-ai/flux/dev", "fal", "fal-ai/flux/dev"],
    ["togetherai:black-forest-labs/FLUX.1-schnell", "togetherai", "black-forest-labs/FLUX.1-schnell"],
    ["compatible:my-model@v2+fast", "compatible", "my-model@v2+fast"],
  ])("accepts %s", (id, provider, model) => {
    expect(parseModelId(id)).toEqual({ ok: true, ref: { provider, model } });
  });

  it("refuses an id without a provider, pointing at the expected shape", () => {
    const result = parseModelId("gpt-image-1");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('"<provider>:<model>"');
  });

  it("refuses an unknown provider and lists the known ones", () => {
    const result = parseModelId("midjourney:v6");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain('unknown provider "midjourney"');
      for (const name of Object.keys(PROVIDERS)) expect(result.reason).toContain(name);
    }
  });

  it("does not treat inherited object keys as providers", () => {
    expect(parseModelId("constructor:x").ok).toBe(false);
    expect(parseModelId("__proto__:x").ok).toBe(false);
  });

  it.each(["openai:", "openai:-leading-dash", "openai:has space", "openai:semi;colon", `openai:${"a".repeat(201)}`])(
    "refuses the malformed model name in %j",
    (id) => {
      const result = parseModelId(id);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/is not a valid model name/);
    },
  );

  it("accepts a model name of exactly 200 characters", () => {
    expect(parseModelId(`openai:${"a".repeat(200)}`).ok).toBe(true);
  });

  it("refuses Google models that are not Gemini", () => {
    const result = parseModelId("google:imagen-3.0-generate-002");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("Gemini");
  });

  it("is case-sensitive about the local id and providers", () => {
    expect(parseModelId("LOCAL/SKETCH").ok).toBe(false);
    expect(parseModelId("OpenAI:gpt-image-1").ok).toBe(false);
  });
});

describe("missingProviderSettings", () => {
  it("names the missing variable, or the alternatives of a group", () => {
    expect(missingProviderSettings("openai", {})).toEqual(["OPENAI_API_KEY"]);
    expect(missingProviderSettings("fal", {})).toEqual(["FAL_API_KEY or FAL_KEY"]);
  });

  it("is satisfied by any one variable of a group, but not by an empty one", () => {
    expect(missingProviderSettings("fal", { FAL_KEY: "k" })).toEqual([]);
    expect(missingProviderSettings("togetherai", { TOGETHER_AI_API_KEY: "k" })).toEqual([]);
    expect(missingProviderSettings("openai", { OPENAI_API_KEY: "" })).toEqual(["OPENAI_API_KEY"]);
  });
});
