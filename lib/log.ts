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

// Database errors carry content: Drizzle's "Failed query: <sql> params: <values>"
// holds the prompt or the email being inserted, and PostgreSQL's own message and
// detail quote values (`Key (email)=(…) already exists`). So a database error is
// logged by where it happened (SQLSTATE, constraint, table, column), never by
// its words; anything else by name and message.
const SQLSTATE = /^[0-9A-Z]{5}$/;
const DRIZZLE_QUERY = /^Failed query:/;

type Fields = Record<string, unknown>;

// The error and its causes; Auth.js wraps the original as `cause.err`.
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && typeof e === "object" && chain.length < 8 && !chain.includes(e); ) {
    chain.push(e);
    const next = e as { cause?: unknown; err?: unknown };
    e = next.cause ?? (next.err instanceof Error ? next.err : undefined);
  }
  return chain;
}

// postgres.js PostgresError (snake_case fields) or node-postgres DatabaseError (rate limits).
function isDatabaseError(e: unknown): e is Fields {
  if (!e || typeof e !== "object") return false;
  const f = e as Fields;
  return typeof f.code === "string" && SQLSTATE.test(f.code) && ("severity" in f || "routine" in f || f.name === "PostgresError" || f.name === "DatabaseError");
}

const isDrizzleQueryError = (e: unknown) => e instanceof Error && (e.name === "DrizzleQueryError" || DRIZZLE_QUERY.test(e.message));

function databaseErrorText(error: unknown): string | null {
  const chain = causes(error);
  const db = chain.find(isDatabaseError);
  if (db) {
    const where = [
      ["constraint", db.constraint_name ?? db.constraint],
      ["schema", db.schema_name ?? db.schema],
      ["table", db.table_name ?? db.table],
      ["column", db.column_name ?? db.column],
    ]
      .filter(([, v]) => typeof v === "string" && v)
      .map(([k, v]) => `${k}=${v}`);
    return [`DatabaseError SQLSTATE ${db.code}`, ...where].join(" ");
  }
  if (chain.some(isDrizzleQueryError)) {
    // A failed query without a server error underneath (a dropped connection, a
    // driver refusal): name and code of the cause only, never a message.
    const cause = chain.find((e) => !isDrizzleQueryError(e)) as Fields | undefined;
    const code = typeof cause?.code === "string" ? ` ${cause.code}` : "";
    return cause ? `DrizzleQueryError caused by ${String(cause.name ?? "Error")}${code}` : "DrizzleQueryError";
  }
  return null;
}

export function errorText(error: unknown): string {
  const database = databaseErrorText(error);
  if (database) return database;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// A stack trace starts with the message: for database errors only the frames are kept.
export function errorStack(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  if (!databaseErrorText(error)) return error.stack;
  const frames = error.stack.split("\n").filter((line) => /^\s+at /.test(line));
  return [errorText(error), ...frames].join("\n");
}
