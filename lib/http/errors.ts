// Compatibility shim, to be removed once lib/auth, lib/users, lib/account,
// app/_actions and the pages throw and test the domain errors of lib/errors.ts.
// `AppError` is a DomainError built from the old HTTP-flavoured codes, and
// `instanceof AppError` / `.code` keep working for every DomainError, so a
// page that still tests `error.code === "not_found"` sees the same thing
// whichever module threw. New code: import from "@/lib/errors" instead.
import { DomainError, type ErrorKind } from "@/lib/errors";

export { authenticationRequired, invalidCredentials, jobNotFound } from "@/lib/errors";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "unavailable";

const kindOfCode = {
  bad_request: "invalid_input",
  unauthorized: "unauthenticated",
  forbidden: "forbidden",
  not_found: "not_found",
  method_not_allowed: "method_not_allowed",
  conflict: "conflict",
  payload_too_large: "payload_too_large",
  unsupported_media_type: "unsupported_media_type",
  too_many_requests: "rate_limited",
  unavailable: "unavailable",
} as const satisfies Record<ErrorCode, ErrorKind>;

const codeOfKind = Object.fromEntries(Object.entries(kindOfCode).map(([code, kind]) => [kind, code])) as Record<ErrorKind, ErrorCode>;

declare module "@/lib/errors" {
  interface DomainError {
    /** @deprecated legacy code for the AppError shim; test `kind` or the error class instead. */
    readonly code: ErrorCode;
  }
}

if (!Object.getOwnPropertyDescriptor(DomainError.prototype, "code")) {
  Object.defineProperty(DomainError.prototype, "code", {
    get(this: DomainError) {
      return codeOfKind[this.kind];
    },
  });
}

export class AppError extends DomainError {
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    const retryAfter = headers["Retry-After"];
    super(kindOfCode[code], message, retryAfter === undefined ? {} : { retryAfterSeconds: Number(retryAfter) });
    this.name = "AppError";
  }

  // Every DomainError counts as an AppError, so old `instanceof AppError` checks keep matching.
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof DomainError;
  }
}
