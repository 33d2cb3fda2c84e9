// How a GPU backend's failures become the job's error: retried or not, and
// always our sentence naming the server by its origin (never credentials).
import { describe, expect, it } from "vitest";
import { BackendClient, sniffImageType } from "@/lib/generation/models/backend-http";

const client = new BackendClient("ComfyUI", "http://gpu-box:8188/comfy/");

describe("BackendClient", () => {
  it.each([
    [401, false, "refused this server's credentials"],
    [403, false, "refused this server's credentials"],
    [404, false, "does not offer the configured model"],
    [400, false, "rejected the request as invalid"],
    [422, false, "rejected the request as invalid"],
    [408, true, "had a failure; the job will be retried"],
    [429, true, "had a failure; the job will be retried"],
    [500, true, "had a failure; the job will be retried"],
    [503, true, "had a failure; the job will be retried"],
    [418, false, "rejected the request"],
  ])("HTTP %i: retryable %s", (status, retryable, words) => {
    const error = client.statusError(status, "RAW BACKEND TEXT");
    expect(error.retryable).toBe(retryable);
    expect(error.message).toContain(`The ComfyUI server at http://gpu-box:8188 ${words}`);
    expect(error.message).not.toContain("RAW");
  });

  it("a refused connection and a timeout are retried; an abort by the job is not", () => {
    expect(client.networkError(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }))).toMatchObject({
      retryable: true,
      message: "The ComfyUI server at http://gpu-box:8188 did not answer; the job will be retried",
    });
    expect(client.networkError(new DOMException("timed out", "TimeoutError"))).toMatchObject({
      retryable: true,
      message: expect.stringContaining("did not answer in time"),
    });
    expect(client.networkError(new Error("aborted"), AbortSignal.abort())).toMatchObject({ retryable: false, message: "The job was stopped" });
  });

  it("keeps the base path and drops credentials from what it shows", () => {
    expect(client.url("/history/abc")).toBe("http://gpu-box:8188/comfy/history/abc");
    expect(new BackendClient("AUTOMATIC1111", "http://u:p@host:7860").origin).toBe("http://host:7860");
  });

  it("recognises preview image types from their bytes", () => {
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toBe("image/png");
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff]))).toBe("image/jpeg");
    expect(sniffImageType(Uint8Array.from([1, 2, 3]))).toBeUndefined();
  });
});
