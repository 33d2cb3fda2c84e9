// Domain errors become HTTP in one place (lib/http/handler.ts): each kind's
// status, Retry-After from retryAfterSeconds, and the field of a 400 in
// meta.field.
// Pure: no server or database.
import { describe, expect, it } from "vitest";
import { ConflictError, DomainError, InvalidInputError, jobNotFound, RateLimitedError, UnavailableError } from "@/lib/errors";
import { toErrorResponse } from "@/lib/http/handler";

async function rendered(error: unknown) {
  const res = toErrorResponse(error, "req-1");
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

describe("domain errors rendered by the route wrapper", () => {
  it("answers invalid input 400 with the field beside the unchanged message", async () => {
    expect(await rendered(new InvalidInputError("prompt", "must not be empty"))).toEqual({
      status: 400,
      retryAfter: null,
      body: { meta: { code: 0, message: 'Invalid field "prompt": must not be empty', field: "prompt" }, data: null },
    });
  });

  it("maps every other kind to its status, with no field", async () => {
    const cases: [DomainError, number][] = [
      [jobNotFound(), 404],
      [new ConflictError("no"), 409],
      [new DomainError("unauthenticated", "Authentication required"), 401],
      [new DomainError("forbidden", "no"), 403],
      [new DomainError("method_not_allowed", "no"), 405],
      [new DomainError("payload_too_large", "no"), 413],
      [new DomainError("unsupported_media_type", "no"), 415],
      [new DomainError("invalid_input", "Malformed JSON body"), 400],
    ];
    for (const [error, status] of cases) {
      const { status: got, body } = await rendered(error);
      expect(got, error.message).toBe(status);
      expect(body, error.message).toEqual({ meta: { code: 0, message: error.message }, data: null });
    }
  });

  it("sends Retry-After for rate limits and outages", async () => {
    expect(await rendered(new RateLimitedError("slow down", 42))).toMatchObject({ status: 429, retryAfter: "42" });
    expect(await rendered(new UnavailableError("later"))).toMatchObject({ status: 503, retryAfter: "5" });
  });

  it("answers anything else 500 with the request id and no detail", async () => {
    expect(await rendered(new Error("secret detail"))).toEqual({
      status: 500,
      retryAfter: null,
      body: { meta: { code: 0, message: "Internal error (request req-1)" }, data: null },
    });
  });

  it("answers 503 when the database cannot be reached, over TCP or a Unix socket, and only then", async () => {
    const failure = (code: string, syscall: string, address: string) => Object.assign(new Error(`${syscall} ${code} ${address}`), { code, syscall, address });
    const wrapped = (cause: Error) => Object.assign(new Error("Failed query: select 1"), { cause });
    expect(await rendered(failure("ECONNREFUSED", "connect", "127.0.0.1"))).toMatchObject({ status: 503, retryAfter: "5" });
    // A stopped PostgreSQL removes its socket file: connecting then fails with ENOENT.
    expect(await rendered(wrapped(failure("ENOENT", "connect", "/var/tmp/pg/.s.PGSQL.5432")))).toMatchObject({ status: 503, retryAfter: "5" });
    // A missing file anywhere else is no outage.
    expect(await rendered(failure("ENOENT", "open", "/srv/files/x.png"))).toMatchObject({ status: 500 });
  });
});
