// What a page needs to know about a failure from lib/: was it "no such thing"
// (answer 404) or "that input is not valid" (say so on the page)?
// Pages ask the domain errors of lib/errors.ts by kind, so a NotFoundError,
// an InvalidInputError and a plain DomainError of that kind all count.
import { DomainError, type ErrorKind } from "@/lib/errors";

const isKind = (error: unknown, kind: ErrorKind) => error instanceof DomainError && error.kind === kind;

export const isNotFound = (error: unknown): boolean => isKind(error, "not_found");

export const isInvalidInput = (error: unknown): boolean => isKind(error, "invalid_input");
