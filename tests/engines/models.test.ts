// Hosted image models through the AI SDK, against a local server that speaks
// the OpenAI images API: request shape, base64 and URL answers, and every kind
// of failure classified for the job engine, with no provider text or key leaking.
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { capabilitiesOf } from "@/lib/generation/models/capabilities";
import { imageCallOptions, parseModelId } from "@/lib/generation/models/catalog";
import { redact } from "@/lib/generation/models/errors";
import { createHostedModel, type HostedSettings } from "@/lib/generation/models/hosted";
import { GenerationError } from "@/lib/generation/models/types";
import { closedPort } from "./fakes/inngest-api";
import { type FakeOpenAI, startFakeOpenAI } from "./fakes/openai-server";

const API_KEY = "sk-test-THIS-KEY-MUST-NEVER-BE-LOGGED-1234";
let fake: FakeOpenAI;
let logged: string[];

const settings = (overrides: Partial<HostedSettings> = {}): HostedSettings =>
  ({ IMAGE_TIMEOUT_MS: 5_000, OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: `${fake.url}/v1`, ...overrides }) as HostedSettings;

const request = { prompt: "a red fox in snow", style: "watercolor", quality: "standard", attempt: 1 };

async function failureOf(promise: Promise<unknown>): Promise<GenerationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenerationError);
  return error as GenerationError;
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.mode = "b64";
  logged = [];
  // Capture the log lines exactly as the server would write them.
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe("OpenAI image models", () => {
  it("sends {model, prompt, n, size, quality} and stores the base64 image with its real size", async () => {
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    const image = await model.generate(request);
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe("/v1/images/generations");
    expect(sent.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toMatchObject({ model: "gpt-image-1", n: 1, size: "1024x1024", quality: "medium" });
    expect(sent.body.prompt).toContain("a red fox in snow");
    expect(sent.body.prompt).toContain("watercolor painting");
    expect(Buffer.from(image.bytes).equals(fake.fixture)).toBe(true);
    expect(image).toMatchObject({ contentType: "image/png", width: 96, height: 64 });
  });

  it("converts an image in another format (GIF) to PNG", async () => {
    fake.mode = "gif";
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    const image = await model.generate(request);
    expect(image).toMatchObject({ contentType: "image/png", width: 40, height: 30 });
    expect((await sharp(Buffer.from(image.bytes)).metadata()).format).toBe("png");
  });

  it("maps high quality and the style to DALL·E 3's own parameters", async () => {
    const model = createHostedModel("openai:dall-e-3", { provider: "openai", model: "dall-e-3" }, settings());
    await model.generate({ ...request, style: "realistic", quality: "high" });
    expect(fake.requests[0]!.body).toMatchObject({ model: "dall-e-3", size: "1024x1024", quality: "hd", style: "natural", response_format: "b64_json" });
    await model.generate({ ...request, style: "anime", quality: "standard" });
    expect(fake.requests[1]!.body).toMatchObject({ quality: "standard", style: "vivid" });
  });

  it("fails at once, with our words only, when the provider refuses the prompt under its content policy", async () => {
    fake.mode = "content-policy";
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    const error = await failureOf(model.generate(request));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("OpenAI refused this prompt under its content policy");
    expect(error.message).not.toContain("RAW-PROVIDER-TEXT");
    expect(fake.requests).toHaveLength(1); // no SDK retries
    const line = logged.find((l) => l.includes("image_provider_error"))!;
    expect(JSON.parse(line)).toMatchObject({ kind: "content_policy", status: 400, retryable: false, model: "openai:gpt-image-1" });
    expect(line).not.toContain("a red fox"); // prompts stay out of logs
  });

  it("treats another 400 as an invalid request that is not retried", async () => {
    fake.mode = "invalid";
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    const error = await failureOf(model.generate(request));
    expect(error).toMatchObject({ retryable: false, message: "OpenAI rejected the request as invalid" });
  });

  it.each([
    ["server-error", "OpenAI had a temporary failure; the job will be retried"],
    ["rate-limit", "OpenAI is busy right now; the job will be retried"],
    ["not-an-image", "OpenAI returned data that is not a readable image"],
  ] as const)("leaves a %s to the job engine's retries, calling the provider once", async (mode, message) => {
    fake.mode = mode;
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    const error = await failureOf(model.generate(request));
    expect(error).toMatchObject({ retryable: true, message });
    expect(fake.requests).toHaveLength(1);
  });

  it("gives up after its own timeout and lets the job be retried", async () => {
    fake.mode = "hang";
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings({ IMAGE_TIMEOUT_MS: 300 }));
    const started = Date.now();
    const error = await failureOf(model.generate(request));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toMatchObject({ retryable: true, message: "OpenAI did not answer in time; the job will be retried" });
  });

  it("reports an unreachable provider as retryable", async () => {
    const port = await closedPort();
    const model = createHostedModel(
      "openai:gpt-image-1",
      { provider: "openai", model: "gpt-image-1" },
      settings({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` }),
    );
    const error = await failureOf(model.generate(request));
    expect(error).toMatchObject({ retryable: true, message: "OpenAI could not be reached; the job will be retried" });
  });

  it("keeps the API key out of the job's error and out of the log, even when the provider echoes it", async () => {
    fake.mode = "unauthorized";
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    const error = await failureOf(model.generate(request));
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain(API_KEY);
    expect(logged.join("\n")).toContain("image_provider_error");
    expect(logged.join("\n")).not.toContain(API_KEY);
    expect(logged.join("\n")).not.toContain("THIS-KEY-MUST-NEVER");
  });
});

describe("OpenAI-compatible endpoints (IMAGE_BASE_URL)", () => {
  it("downloads an image answered by URL from the same server", async () => {
    fake.mode = "url";
    const model = createHostedModel(
      "compatible:sd-local",
      { provider: "compatible", model: "sd-local" },
      settings({ IMAGE_BASE_URL: `${fake.url}/v1`, IMAGE_API_KEY: "local-key-123456" }),
    );
    const image = await model.generate({ ...request, quality: "high" });
    expect(fake.requests[0]!.body).toMatchObject({ model: "sd-local", n: 1, size: "1024x1024" });
    expect(fake.requests[0]!.authorization).toBe("Bearer local-key-123456");
    expect((await sharp(Buffer.from(image.bytes)).metadata()).width).toBe(96);
    expect(image).toMatchObject({ contentType: "image/png", width: 96, height: 64 });
  });

  it("classifies the endpoint's errors like any provider's", async () => {
    fake.mode = "content-policy";
    const model = createHostedModel("compatible:sd-local", { provider: "compatible", model: "sd-local" }, settings({ IMAGE_BASE_URL: `${fake.url}/v1` }));
    const error = await failureOf(model.generate(request));
    expect(error).toMatchObject({ retryable: false, message: "The image service refused this prompt under its content policy" });
  });
});

describe("model names and parameters", () => {
  it("parses <provider>:<model> and rejects anything else with a reason", () => {
    expect(parseModelId("local/sketch")).toEqual({ ok: true, ref: { provider: "local", model: "sketch" } });
    expect(parseModelId("replicate:black-forest-labs/flux-schnell:abc123")).toEqual({
      ok: true,
      ref: { provider: "replicate", model: "black-forest-labs/flux-schnell:abc123" },
    });
    expect(parseModelId("gpt-image-1")).toMatchObject({ ok: false });
    expect(parseModelId("midjourney:v7")).toMatchObject({ ok: false, reason: expect.stringContaining('unknown provider "midjourney"') });
    expect(parseModelId("openai: spaces")).toMatchObject({ ok: false });
  });

  it("uses each provider's own size or aspect ratio, and a phrase where there is no parameter", () => {
    const req = { prompt: "p", style: "pixel-art", quality: "high" };
    expect(imageCallOptions({ provider: "google", model: "gemini-2.5-flash-image" }, req)).toEqual({
      prompt: expect.stringMatching(/^p\n\nStyle: pixel art.*highly detailed/),
      aspectRatio: "1:1",
    });
    expect(imageCallOptions({ provider: "replicate", model: "black-forest-labs/flux-schnell" }, req)).toMatchObject({ aspectRatio: "1:1" });
    expect(imageCallOptions({ provider: "fal", model: "fal-ai/flux/dev" }, { ...req, quality: "standard" })).toMatchObject({ size: "512x512" });
    expect(imageCallOptions({ provider: "togetherai", model: "black-forest-labs/FLUX.1-schnell" }, req)).toMatchObject({ size: "1024x1024" });
    expect(imageCallOptions({ provider: "openai", model: "dall-e-2" }, req)).toMatchObject({ size: "1024x1024" });
  });

  it("scrubs configured secrets and key-shaped strings from log text", () => {
    const text = redact("bad key sk-abcdefghijkl and Bearer abc.def.ghi and my-own-secret-value and ?api_key=zzz", ["my-own-secret-value"]);
    expect(text).not.toMatch(/sk-abc|abc\.def|my-own-secret|zzz/);
  });
});

describe("provider mapping of aspect ratio, seed and count (issue 11)", () => {
  const base = { prompt: "p", style: "realistic", quality: "standard" };
  const map = (provider: Parameters<typeof imageCallOptions>[0]["provider"], model: string, extra: object) =>
    imageCallOptions({ provider, model }, { ...base, ...extra });

  it("OpenAI: each model family's own size strings, never a seed", () => {
    expect(map("openai", "gpt-image-1", { aspectRatio: "3:2", seed: 5 })).toMatchObject({ size: "1536x1024" });
    expect(map("openai", "gpt-image-1", { aspectRatio: "2:3" })).toMatchObject({ size: "1024x1536" });
    expect(map("openai", "dall-e-3", { aspectRatio: "16:9" })).toMatchObject({ size: "1792x1024" });
    expect(map("openai", "dall-e-3", { aspectRatio: "9:16" })).toMatchObject({ size: "1024x1792" });
    expect(map("openai", "gpt-image-1", { aspectRatio: "3:2", seed: 5 }).seed).toBeUndefined();
    expect(capabilitiesOf({ provider: "openai", model: "gpt-image-1" })).toEqual({
      aspect_ratios: ["1:1", "3:2", "2:3"],
      max_n: 4,
      seed: false,
      negative_prompt: false,
    });
    expect(capabilitiesOf({ provider: "openai", model: "dall-e-3" }).aspect_ratios).toEqual(["1:1", "16:9", "9:16"]);
    expect(capabilitiesOf({ provider: "openai", model: "dall-e-2" }).aspect_ratios).toEqual(["1:1"]);
  });

  it("Google and Replicate: the aspect ratio itself; Replicate also the seed", () => {
    expect(map("google", "gemini-2.5-flash-image", { aspectRatio: "16:9", seed: 9 })).toEqual({ prompt: expect.any(String), aspectRatio: "16:9" });
    expect(map("replicate", "black-forest-labs/flux-schnell", { aspectRatio: "9:16", seed: 9 })).toMatchObject({ aspectRatio: "9:16", seed: 9 });
    expect(capabilitiesOf({ provider: "google", model: "gemini-2.5-flash-image" })).toMatchObject({ seed: false, negative_prompt: false });
    expect(capabilitiesOf({ provider: "replicate", model: "x/y" })).toMatchObject({ seed: true, negative_prompt: false });
  });

  it("fal, Together AI and OpenAI-compatible servers: a pixel size for the ratio; fal and Together also the seed", () => {
    expect(map("fal", "fal-ai/flux/dev", { aspectRatio: "16:9", seed: 3 })).toMatchObject({ size: "672x384", seed: 3 });
    expect(map("togetherai", "black-forest-labs/FLUX.1-schnell", { aspectRatio: "3:4", quality: "high", seed: 3 })).toMatchObject({
      size: "864x1152",
      seed: 3,
    });
    expect(map("compatible", "sd-local", { aspectRatio: "4:3", seed: 3 })).toEqual({ prompt: expect.any(String), size: "576x432" });
    expect(capabilitiesOf({ provider: "compatible", model: "sd-local" })).toMatchObject({ seed: false });
  });

  it("the offline renderer honours every setting", () => {
    expect(capabilitiesOf({ provider: "local", model: "sketch" })).toEqual({
      aspect_ratios: ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"],
      max_n: 4,
      seed: true,
      negative_prompt: true,
    });
  });

  it("asks every provider for one image per call, with image i's own seed", async () => {
    const model = createHostedModel("openai:gpt-image-1", { provider: "openai", model: "gpt-image-1" }, settings());
    await model.generate({ ...request, aspectRatio: "2:3", seed: 12 });
    expect(fake.requests.at(-1)!.body).toMatchObject({ n: 1, size: "1024x1536" });
  });
});
