// The browser client turns every failed API call into a sentence for a person,
// keyed on the HTTP status (and Retry-After), and a 400 points at its field.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, describeBadRequest, jobsApi } from "@/lib/client/api";

const assign = vi.fn();

beforeEach(() => {
  assign.mockReset();
  vi.stubGlobal("window", { location: { pathname: "/jobs/abc", search: "?tab=1", assign } });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetch = vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const envelope = (code: number, message: string) => ({ meta: { code, message }, data: null });

describe("describeBadRequest", () => {
  it("names the field in words a person uses", () => {
    expect(describeBadRequest('Invalid field "prompt": must not be empty')).toEqual({ field: "prompt", text: "The prompt must not be empty." });
    expect(describeBadRequest('Invalid field "cursor": not a cursor returned by this API')).toEqual({
      field: "cursor",
      text: "The page link not a cursor returned by this API.",
    });
    expect(describeBadRequest('Invalid field "Idempotency-Key": must be printable ASCII')).toMatchObject({ text: "The request key must be printable ASCII." });
  });

  it("keeps an unknown field's own name", () => {
    expect(describeBadRequest('Invalid field "colour": is unknown')).toEqual({ field: "colour", text: "The colour is unknown." });
  });

  it("turns any other message into a sentence, without a field", () => {
    expect(describeBadRequest("Malformed JSON body")).toEqual({ field: null, text: "Malformed JSON body." });
    expect(describeBadRequest("already done!")).toEqual({ field: null, text: "Already done!" });
    expect(describeBadRequest("")).toEqual({ field: null, text: "Something in the request was not accepted." });
  });
});

describe("api: the message for each failure", () => {
  it("returns the envelope's data on success", async () => {
    const fetch = answer(200, { meta: { code: 200 }, data: { jobs: [], next_cursor: null } });
    await expect(jobsApi.list({ limit: 5 })).resolves.toEqual({ jobs: [], next_cursor: null });
    expect(fetch).toHaveBeenCalledWith("/api/jobs?limit=5", expect.objectContaining({ method: "GET", credentials: "same-origin" }));
  });

  it("400 carries the field and a sentence about it", async () => {
    answer(400, envelope(400, 'Invalid field "prompt": must be at most 2000 characters'));
    const error = await failure(api("/api/generate-image", { json: { prompt: "x" } }));
    expect(error).toMatchObject({ status: 400, field: "prompt", message: "The prompt must be at most 2000 characters." });
  });

  it.each([
    [403, "You don't have permission to do that. Try signing out and in again."],
    [404, "That job doesn't exist any more. It may have been deleted."],
    [413, "That's too much to send at once. Shorten the prompt and try again."],
    [415, "The server didn't accept the format of that request. Reload the page and try again."],
    [500, "Something went wrong on our side. Try again in a moment."],
    [502, "Something went wrong on our side. Try again in a moment."],
  ])("%i → %j, whatever the server said", async (status, text) => {
    answer(status, envelope(status, "internal detail that must not be shown"));
    const error = await failure(api("/api/x"));
    expect(error.status).toBe(status);
    expect(error.message).toBe(text);
    expect(error.field).toBeNull();
  });

  it("409 shows the server's explanation as a sentence", async () => {
    answer(409, envelope(409, "Only a failed job can be retried; this one is completed"));
    expect((await failure(jobsApi.retry("j1"))).message).toBe("Only a failed job can be retried; this one is completed.");
  });

  it("409 without a message still says something", async () => {
    answer(409, undefined);
    expect((await failure(api("/api/x"))).message).toBe("That can't be done right now.");
  });

  it("429 uses Retry-After, singular and plural", async () => {
    answer(429, envelope(429, "slow down"), { "retry-after": "7" });
    expect((await failure(api("/api/x"))).message).toBe("You're going a little fast. Wait 7 seconds and try again.");
    answer(429, envelope(429, "slow down"), { "retry-after": "1" });
    expect((await failure(api("/api/x"))).message).toBe("You're going a little fast. Wait 1 second and try again.");
    answer(429, envelope(429, "slow down"), { "retry-after": "0.2" });
    expect((await failure(api("/api/x"))).message).toBe("You're going a little fast. Wait 1 second and try again.");
  });

  it("429 and 503 without a usable Retry-After fall back to words", async () => {
    answer(429, envelope(429, "slow down"), { "retry-after": "soon" });
    expect((await failure(api("/api/x"))).message).toBe("You're going a little fast. Wait a moment and try again.");
    answer(503, envelope(503, "db down"));
    expect((await failure(api("/api/x"))).message).toBe("The studio is busy right now. Try again in a few seconds.");
    answer(503, envelope(503, "db down"), { "retry-after": "5" });
    expect((await failure(api("/api/x"))).message).toBe("The studio is busy right now. Try again in 5 seconds.");
  });

  it("a failure without a JSON body still maps by status", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 404 })),
    );
    expect((await failure(api("/api/x"))).message).toBe("That job doesn't exist any more. It may have been deleted.");
  });

  it("401 sends the person to sign in and back here", async () => {
    answer(401, envelope(401, "Authentication required"));
    const error = await failure(jobsApi.remove("j1"));
    expect(error).toMatchObject({ status: 401, redirecting: true });
    expect(assign).toHaveBeenCalledWith(`/login?next=${encodeURIComponent("/jobs/abc?tab=1")}`);
  });

  it("a network failure is status 0 with a connection hint", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("fetch failed");
      }),
    );
    const error = await failure(api("/api/x"));
    expect(error.status).toBe(0);
    expect(error.message).toBe("Can't reach Darkroom right now. Check your connection and try again.");
  });

  it("an abort is passed through untouched", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw abort;
      }),
    );
    await expect(api("/api/x")).rejects.toBe(abort);
  });

  it("sends JSON with the idempotency key when creating a job", async () => {
    const fetch = answer(201, { meta: { code: 201 }, data: { job_id: "j1" } });
    await jobsApi.create({ prompt: "a fox", style: "anime", quality: "high" }, "key-1");
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/generate-image");
    expect(init.method).toBe("POST");
    expect(init.headers).toMatchObject({ "Content-Type": "application/json", "Idempotency-Key": "key-1" });
    expect(JSON.parse(init.body as string)).toEqual({ prompt: "a fox", style: "anime", quality: "high" });
  });
});
