// Structured JSON logs (pino). Every line written while handling a request
// carries that request's id. Secrets, tokens, passwords and prompts are never
// logged at info level: the redaction below is a backstop, not a licence.
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

// Written through process.stdout (synchronous for files and pipes on Linux), so
// every line is in order with the rest of the process's output.
const stdout = { write: (line: string) => process.stdout.write(line) };

export const logger = pino(
  {
    // The one read outside lib/env.ts, on purpose: the logger must work before
    // (and when) the environment fails validation, to report that failure.
    level: process.env.LOG_LEVEL ?? "info",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { request_id: context.requestId } : {};
    },
    redact: {
      paths: [
        "password",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "cookie",
        "prompt",
        "*.password",
        "*.token",
        "*.prompt",
        "*.authorization",
        "*.cookie",
      ],
      censor: "[redacted]",
    },
  },
  stdout,
);

export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
