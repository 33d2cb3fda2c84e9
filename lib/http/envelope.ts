// The server side of the response envelope (the type lives in lib/envelope.ts,
// shared with the browser client). The HTTP status is authoritative.
import type { Envelope } from "@/lib/envelope";

export type { Envelope } from "@/lib/envelope";

// Per-user answers must never be stored by a shared cache.
export const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };

// API answers are sent as they are, never gzipped by Next.js (`no-transform`,
// which its compression honours, as intermediaries must): almost all of them
// are a few hundred bytes (a job's status, a new job, every error), where gzip
// costs more CPU than it saves bytes, allocates a zlib stream per answer and
// waits on a thread-pool round trip; and a private answer that mixes a
// person's own text with anything a request can influence is not one to
// compress. Pages and static files are still compressed.
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...init.headers };
  headers["Cache-Control"] = headers["Cache-Control"] ? `${headers["Cache-Control"]}, no-transform` : "no-transform";
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

export function ok<T>(data: T, init: { status?: number; message?: string; headers?: Record<string, string> } = {}) {
  const body: Envelope<T> = { meta: { code: 1, message: init.message ?? "OK" }, data };
  return json(body, { status: init.status ?? 200, headers: { ...PRIVATE_HEADERS, ...init.headers } });
}

// `field` names the request field at fault (400s only); it is omitted otherwise.
export function fail(status: number, message: string, headers: Record<string, string> = {}, field?: string) {
  const body: Envelope<null> = { meta: field === undefined ? { code: 0, message } : { code: 0, message, field }, data: null };
  return json(body, { status, headers: { ...PRIVATE_HEADERS, ...headers } });
}
