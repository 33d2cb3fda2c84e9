// Wraps every route handler: renders a DomainError (lib/errors.ts) as the
// envelope with the status of its kind (lib/http/status.ts), answers 503 when
// the database is unreachable, and never lets a stack trace reach the client.
import { randomUUID } from "node:crypto";
import { getEnv } from "@/lib/env";
import { DomainError, UnavailableError } from "@/lib/errors";
import { errorStack, errorText, logger, withRequestId } from "@/lib/log";
import { fail } from "./envelope";
import { statusOfKind } from "./status";

const requestTimeoutMs = () => getEnv().REQUEST_TIMEOUT_MS;

type Handler<C> = (request: Request, context: C) => Promise<Response>;

const CONNECTION_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "EPIPE",
  "ENOTFOUND",
  "57P01",
  "57P03",
  "53300",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_ERRORS.has(code)) return true;
    // A Unix socket whose server is gone: PostgreSQL removes its socket file on
    // shutdown, so connecting fails with ENOENT rather than ECONNREFUSED. Only
    // a failed `connect` counts: a missing file elsewhere is not an outage.
    if (code === "ENOENT" && (e as { syscall?: unknown }).syscall === "connect") return true;
    if (e instanceof Error && /database is not started/.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function toErrorResponse(error: unknown, requestId: string = randomUUID()): Response {
  if (error instanceof DomainError) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { "Retry-After": String(error.retryAfterSeconds) };
    return fail(statusOfKind[error.kind], error.message, headers, error.kind === "invalid_input" ? error.field : undefined);
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ event: "database_unavailable", error: errorText(error) });
    return fail(503, "Service temporarily unavailable, please retry shortly", { "Retry-After": "5" });
  }
  // The stack goes to the log only; the client gets the request id to quote.
  logger.error({ event: "unhandled_error", error: errorText(error), stack: errorStack(error) });
  return fail(500, `Internal error (request ${requestId})`);
}

export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return (request, context) => {
    const requestId = randomUUID();
    return withRequestId(requestId, async () => {
      const started = performance.now();
      let response: Response;
      let timer: NodeJS.Timeout | undefined;
      // A set deadline: whatever is slow underneath (a pool queue, a dead
      // database), the caller gets an answer. Work already done stays done;
      // clients retry creations safely with an Idempotency-Key.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new UnavailableError("The request took too long; please retry", 5)), requestTimeoutMs());
      });
      try {
        response = await Promise.race([handler(request, context), deadline]);
      } catch (error) {
        response = toErrorResponse(error, requestId);
      } finally {
        clearTimeout(timer);
      }
      // Path only: query strings may carry cursors; bodies and headers are never logged.
      logger.info({
        event: "request",
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      });
      return response;
    });
  };
}

const notAllowed = route(async () => {
  throw new DomainError("method_not_allowed", "Method not allowed");
});

// Spread into a route module so every method it does not implement answers 405 in the envelope.
export function methodNotAllowed<const M extends readonly string[]>(...implemented: M) {
  const all = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
  return Object.fromEntries(all.filter((m) => !implemented.includes(m)).map((m) => [m, notAllowed])) as Record<
    Exclude<(typeof all)[number], M[number]>,
    typeof notAllowed
  >;
}
