// The HTTP side of the OpenAI-compatible gateway (app/v1/**): the same route
// wrapper as lib/http/handler.ts, but every answer, error or not, is in
// OpenAI's shape (`{error: {message, type, param, code}}`) with the statuses
// OpenAI's SDKs map to their error classes (400 BadRequestError, 401
// AuthenticationError, 403 PermissionDeniedError, 404 NotFoundError, 429
// RateLimitError, 5xx InternalServerError). `x-should-retry: false` tells those
// SDKs not to retry where a retry would start a second job or cannot succeed.
import { randomUUID } from "node:crypto";
import { getEnv } from "@/lib/env";
import { DailyQuotaError, DomainError, type ErrorKind } from "@/lib/errors";
import { GatewayError } from "@/lib/gateway/errors";
import { errorStack, errorText, logger, withRequestId } from "@/lib/log";
import { json, PRIVATE_HEADERS } from "./envelope";
import { isDatabaseUnavailable } from "./handler";
import { statusOfKind } from "./status";

type Handler<C> = (request: Request, context: C) => Promise<Response>;
type OpenAIErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

export function openaiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return json(body, { status, headers: { ...PRIVATE_HEADERS, ...headers } });
}

function errorResponse(status: number, error: OpenAIErrorBody["error"], headers: Record<string, string> = {}): Response {
  return openaiJson({ error } satisfies OpenAIErrorBody, status, headers);
}

// OpenAI's `type` and `code` for each of Darkroom's error kinds.
const CODES: Record<ErrorKind, { type: string; code: string | null }> = {
  invalid_input: { type: "invalid_request_error", code: null },
  unauthenticated: { type: "invalid_request_error", code: "invalid_api_key" },
  forbidden: { type: "invalid_request_error", code: "insufficient_permissions" },
  not_found: { type: "invalid_request_error", code: null },
  method_not_allowed: { type: "invalid_request_error", code: "method_not_allowed" },
  conflict: { type: "invalid_request_error", code: "conflict" },
  payload_too_large: { type: "invalid_request_error", code: "request_too_large" },
  unsupported_media_type: { type: "invalid_request_error", code: "unsupported_media_type" },
  rate_limited: { type: "requests", code: "rate_limit_exceeded" },
  unavailable: { type: "server_error", code: "service_unavailable" },
};

export function toOpenAIErrorResponse(error: unknown, requestId: string = randomUUID()): Response {
  if (error instanceof GatewayError) {
    return errorResponse(
      error.status,
      { message: error.message, type: error.type, param: error.param, code: error.code },
      error.retry ? {} : { "x-should-retry": "false" },
    );
  }
  if (error instanceof DailyQuotaError) {
    // OpenAI's "You exceeded your current quota": waiting seconds will not help.
    return errorResponse(
      429,
      { message: error.message, type: "insufficient_quota", param: null, code: "insufficient_quota" },
      { "Retry-After": String(error.retryAfterSeconds ?? 60), "x-should-retry": "false" },
    );
  }
  if (error instanceof DomainError) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { "Retry-After": String(error.retryAfterSeconds) };
    const { type, code } = CODES[error.kind];
    return errorResponse(
      statusOfKind[error.kind],
      { message: error.message, type, param: error.kind === "invalid_input" ? (error.field ?? null) : null, code },
      headers,
    );
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ event: "database_unavailable", error: errorText(error) });
    return errorResponse(
      503,
      { message: "Service temporarily unavailable, please retry shortly", type: "server_error", param: null, code: "service_unavailable" },
      { "Retry-After": "5" },
    );
  }
  logger.error({ event: "unhandled_error", error: errorText(error), stack: errorStack(error) });
  return errorResponse(500, { message: `Internal error (request ${requestId})`, type: "server_error", param: null, code: null });
}

// `deadlineMs`: the answer comes within this time whatever happens underneath
// (generation waits longer than an ordinary request, so each route says).
export function openaiRoute<C = unknown>(handler: Handler<C>, deadlineMs: () => number): Handler<C> {
  return (request, context) => {
    const requestId = randomUUID();
    return withRequestId(requestId, async () => {
      const started = performance.now();
      let response: Response;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new GatewayError(503, "The request took too long; please retry", { type: "server_error", code: "timeout" })),
          deadlineMs(),
        );
      });
      try {
        response = await Promise.race([handler(request, context), deadline]);
      } catch (error) {
        response = toOpenAIErrorResponse(error, requestId);
      } finally {
        clearTimeout(timer);
      }
      // Path only, never the query, body or headers (a link's path is its own
      // credential, so links log their route, not the token).
      const path = new URL(request.url).pathname.replace(/^(\/v1\/images\/links\/).+$/, "$1…");
      logger.info({ event: "request", method: request.method, path, status: response.status, ms: Math.round(performance.now() - started) });
      return response;
    });
  };
}

// The address the client called, for links in answers: its Host header (Next's
// own request.url names the host it listens as, not the one called), and the
// scheme a trusted proxy reports (TRUSTED_PROXY_HOPS), else the server's own.
export function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("host");
  const forwarded = getEnv().TRUSTED_PROXY_HOPS > 0 ? request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  const scheme = forwarded === "https" || forwarded === "http" ? forwarded : url.protocol.slice(0, -1);
  return `${scheme}://${host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : url.host}`;
}

// Every method a /v1 route does not implement: 405 in OpenAI's shape.
export function openaiMethodNotAllowed<const M extends readonly string[]>(...implemented: M) {
  const notAllowed = openaiRoute(
    async () => {
      throw new DomainError("method_not_allowed", "Method not allowed");
    },
    () => 5000,
  );
  const all = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
  return Object.fromEntries(all.filter((m) => !implemented.includes(m)).map((m) => [m, notAllowed])) as Record<
    Exclude<(typeof all)[number], M[number]>,
    typeof notAllowed
  >;
}
