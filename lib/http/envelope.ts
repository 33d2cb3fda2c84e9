// The seed's response envelope: {"meta":{"code":1|0,"message":...},"data":...}.
// The HTTP status is authoritative; `code` is 1 on success and 0 on failure.
export type Envelope<T> = { meta: { code: 0 | 1; message: string }; data: T | null };

// Per-user answers must never be stored by a shared cache.
export const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };

export function ok<T>(data: T, init: { status?: number; message?: string; headers?: Record<string, string> } = {}) {
  const body: Envelope<T> = { meta: { code: 1, message: init.message ?? "OK" }, data };
  return Response.json(body, { status: init.status ?? 200, headers: { ...PRIVATE_HEADERS, ...init.headers } });
}

export function fail(status: number, message: string, headers: Record<string, string> = {}) {
  const body: Envelope<null> = { meta: { code: 0, message }, data: null };
  return Response.json(body, { status, headers: { ...PRIVATE_HEADERS, ...headers } });
}
