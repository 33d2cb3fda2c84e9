// The server side of the response envelope (the type lives in lib/envelope.ts,
// shared with the browser client). The HTTP status is authoritative.
import type { Envelope } from "@/lib/envelope";

export type { Envelope } from "@/lib/envelope";

// Per-user answers must never be stored by a shared cache.
export const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };

export function ok<T>(data: T, init: { status?: number; message?: string; headers?: Record<string, string> } = {}) {
  const body: Envelope<T> = { meta: { code: 1, message: init.message ?? "OK" }, data };
  return Response.json(body, { status: init.status ?? 200, headers: { ...PRIVATE_HEADERS, ...init.headers } });
}

// `field` names the request field at fault (400s only); it is omitted otherwise.
export function fail(status: number, message: string, headers: Record<string, string> = {}, field?: string) {
  const body: Envelope<null> = { meta: field === undefined ? { code: 0, message } : { code: 0, message, field }, data: null };
  return Response.json(body, { status, headers: { ...PRIVATE_HEADERS, ...headers } });
}
