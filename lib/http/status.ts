// The one place a domain error kind becomes an HTTP status. Domain code
// (lib/errors.ts) never knows about HTTP; only the route wrapper does.
import type { ErrorKind } from "@/lib/errors";

export const statusOfKind: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};
