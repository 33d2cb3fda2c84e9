// The one way to fail: throw an AppError anywhere; the route wrapper renders it
// as the envelope with its HTTP status.
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.headers = headers;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export const authenticationRequired = () => new AppError("unauthorized", "Authentication required");
export const invalidCredentials = () => new AppError("unauthorized", "Invalid or expired credentials");
// "Not yours" and "does not exist" must be indistinguishable: always use this one.
export const jobNotFound = () => new AppError("not_found", "Job not found");
