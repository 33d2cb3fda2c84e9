// Domain errors: what went wrong, in the application's own words. Nothing here
// knows about HTTP; the route wrapper (lib/http/handler.ts) maps each kind to a
// status and the response envelope, and pages decide what to show.
export type ErrorKind =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable";

export class DomainError extends Error {
  readonly kind: ErrorKind;
  // The request field at fault, for invalid input.
  readonly field?: string;
  // How long the caller should wait, for rate limits and outages.
  readonly retryAfterSeconds?: number;
  constructor(kind: ErrorKind, message: string, options: { field?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class InvalidInputError extends DomainError {
  constructor(field: string, problem: string) {
    super("invalid_input", `Invalid field "${field}": ${problem}`, { field });
  }
}
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super("not_found", message);
  }
}
export class ConflictError extends DomainError {
  constructor(message: string) {
    super("conflict", message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super("forbidden", message);
  }
}
export class UnauthenticatedError extends DomainError {
  constructor(message = "Authentication required") {
    super("unauthenticated", message);
  }
}
export class RateLimitedError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super("rate_limited", message, { retryAfterSeconds });
  }
}
// The rolling daily quota in particular (not the limit on unfinished jobs):
// waiting seconds does not help, which some transports say differently.
export class DailyQuotaError extends RateLimitedError {}
export class UnavailableError extends DomainError {
  constructor(message: string, retryAfterSeconds = 5) {
    super("unavailable", message, { retryAfterSeconds });
  }
}

export const authenticationRequired = () => new UnauthenticatedError("Authentication required");
export const invalidCredentials = () => new UnauthenticatedError("Invalid or expired credentials");
// "Not yours" and "does not exist" must be indistinguishable: always use this one.
export const jobNotFound = () => new NotFoundError("Job not found");
// The same rule for images (in organising routes) and collections.
export const imageNotFound = () => new NotFoundError("Image not found");
export const collectionNotFound = () => new NotFoundError("Collection not found");
// Share links: an unknown, expired or revoked link and someone else's share id.
export const shareNotFound = () => new NotFoundError("Share not found");
