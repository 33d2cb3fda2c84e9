// Every failure a hosted provider can throw becomes our own fixed message and a
// retry decision; the provider's text only ever reaches the (redacted) log.
import { APICallError, NoImageGeneratedError, RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { classifyProviderError, redact } from "@/lib/generation/models/errors";
import { GenerationError } from "@/lib/generation/models/types";

const apiError = (statusCode: number | undefined, responseBody = "", message = "provider said no") =>
  new APICallError({ message, url: "https://api.example.test/v1/images", requestBodyValues: {}, statusCode, responseBody });

describe("classifyProviderError", () => {
  it.each([
    [400, "", "invalid_request", false, "OpenAI rejected the request as invalid"],
    [422, "", "invalid_request", false, "OpenAI rejected the request as invalid"],
    [401, "", "credentials", false, "OpenAI refused this server's credentials; ask the administrator to check its configuration"],
    [403, "", "credentials", false, "OpenAI refused this server's credentials; ask the administrator to check its configuration"],
    [404, "", "model_not_found", false, "OpenAI does not offer the configured image model"],
    [408, "", "busy", true, "OpenAI is busy right now; the job will be retried"],
    [409, "", "busy", true, "OpenAI is busy right now; the job will be retried"],
    [425, "", "busy", true, "OpenAI is busy right now; the job will be retried"],
    [429, "", "busy", true, "OpenAI is busy right now; the job will be retried"],
    [500, "", "provider_error", true, "OpenAI had a temporary failure; the job will be retried"],
    [503, "", "provider_error", true, "OpenAI had a temporary failure; the job will be retried"],
    [402, "", "rejected", false, "OpenAI rejected the request"],
    [418, "", "rejected", false, "OpenAI rejected the request"],
  ])("HTTP %i → %s (%s), retryable %s", (status, body, kind, retryable, message) => {
    const failure = classifyProviderError(apiError(status, body), "OpenAI");
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.error).toBeInstanceOf(GenerationError);
    expect(failure.error.retryable).toBe(retryable);
    expect(failure.error.message).toBe(message);
  });

  it.each([
    '{"error":{"code":"content_policy_violation"}}',
    '{"error":{"code":"moderation_blocked"}}',
    "flagged by the safety system",
    "NSFW content detected",
  ])("a 400 about content policy (%s) is a refusal, not retried", (body) => {
    const failure = classifyProviderError(apiError(400, body), "the image service");
    expect(failure.kind).toBe("content_policy");
    expect(failure.error.retryable).toBe(false);
    expect(failure.error.message).toBe("The image service refused this prompt under its content policy");
  });

  it("a content-policy word in a 500 does not make it a refusal", () => {
    expect(classifyProviderError(apiError(500, "moderation service down"), "OpenAI").kind).toBe("provider_error");
  });

  it("an API call without a status could not reach the provider and is retried", () => {
    const failure = classifyProviderError(apiError(undefined), "fal");
    expect(failure).toMatchObject({ kind: "unreachable", status: undefined });
    expect(failure.error.retryable).toBe(true);
    expect(failure.error.message).toBe("Fal could not be reached; the job will be retried");
  });

  it("timeouts and aborts, direct or as the cause, are retried", () => {
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    for (const error of [timeout, abort, new Error("fetch failed", { cause: timeout })]) {
      const failure = classifyProviderError(error, "Replicate");
      expect(failure.kind).toBe("timeout");
      expect(failure.error.retryable).toBe(true);
    }
  });

  it("unwraps the SDK's RetryError to the last attempt's error", () => {
    const wrapped = new RetryError({ message: "failed after 3 attempts", reason: "maxRetriesExceeded", errors: [apiError(500), apiError(401)] });
    const failure = classifyProviderError(wrapped, "OpenAI");
    expect(failure.kind).toBe("credentials");
    expect(failure.detail).toContain("provider said no");
  });

  it("no image in the answer is retried", () => {
    const failure = classifyProviderError(new NoImageGeneratedError({}), "Google");
    expect(failure.kind).toBe("no_image");
    expect(failure.error.retryable).toBe(true);
  });

  it("anything else is an unreadable answer, retried, with the raw text kept for the log only", () => {
    const failure = classifyProviderError("a bare string with sk-secret", "OpenAI");
    expect(failure.kind).toBe("unreadable");
    expect(failure.error.message).toBe("OpenAI returned an answer that could not be read");
    expect(failure.error.message).not.toContain("sk-secret");
    expect(failure.detail).toBe("a bare string with sk-secret");
  });

  it("never puts the provider's message into the message shown to the person", () => {
    const failure = classifyProviderError(apiError(400, "", "key sk-live-abcdef123456 is invalid"), "OpenAI");
    expect(failure.error.message).not.toContain("sk-live");
    expect(failure.detail).toContain("sk-live-abcdef123456");
  });
});

describe("redact", () => {
  it("removes configured secrets wherever they appear", () => {
    expect(redact("auth with my-own-secret-value failed", ["my-own-secret-value"])).toBe("auth with [redacted] failed");
  });

  it("ignores secrets too short to redact safely, and undefined ones", () => {
    expect(redact("abc and def", ["abc", undefined])).toBe("abc and def");
  });

  it.each([
    ["sk-proj-abcdefghij", "key sk-proj-abcdefghij"],
    ["r8_abcdefghij", "token r8_abcdefghij"],
    ["AIzaSyA1234567890abc", "google AIzaSyA1234567890abc"],
    ["Bearer abc.def.ghi", "Authorization: Bearer abc.def.ghi"],
    ["api_key=hunter2hunter2", "https://x.test/?api_key=hunter2hunter2&q=1"],
  ])("removes key-shaped text %j", (secret, text) => {
    const out = redact(text, []);
    expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });

  it("caps the text at 500 characters", () => {
    const out = redact("x".repeat(600), []);
    expect(out).toHaveLength(501);
    expect(out.endsWith("…")).toBe(true);
  });
});
