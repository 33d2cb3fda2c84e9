// What a page needs to know about a failure from lib/: was it "no such thing"
// (answer 404) or "that input is not valid" (say so on the page)?
// Pages ask the domain errors of lib/errors.ts by kind, so a NotFoundError,
// an InvalidInputError and a plain DomainError of that kind all count.
// The second arm of each check recognises the older AppError
// (lib/http/errors.ts), still thrown by lib/jobs until its move to domain
// errors lands; it is matched by shape rather than imported, so nothing here
// breaks when that file goes, and it goes with it.
import { DomainError, type ErrorKind } from "@/lib/errors";

const legacyCode = (error: unknown): unknown => (error instanceof Error && error.name === "AppError" && "code" in error ? error.code : undefined);

const isKind = (error: unknown, kind: ErrorKind) => error instanceof DomainError && error.kind === kind;

export const isNotFound = (error: unknown): boolean => isKind(error, "not_found") || legacyCode(error) === "not_found";

export const isInvalidInput = (error: unknown): boolean => isKind(error, "invalid_input") || legacyCode(error) === "bad_request";
