// The small vocabulary the API's OpenAPI document is written in. Each file in
// lib/openapi/paths/ declares its routes as `PathSpec`s; lib/openapi/document.ts
// turns them into OpenAPI 3.1 with zod 4's own `z.toJSONSchema`, so a request
// schema in the document is the very zod object the route parses with.
// `x-darkroom` (see resources.ts) tells tools such as `npm run verify-isolation`
// what each path parameter names and who may call each operation.
import type { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

// Who may call an operation, as the route's requireUser/requireAdmin says:
// `public` needs nothing; `read`/`generate`/`any` also accept an API key (with
// that scope / any scope); `no-keys` needs a password sign-in (session or
// access token); `admin` needs an administrator's session or access token.
export type Access = "public" | "read" | "generate" | "any" | "no-keys" | "admin";

export type SuccessSpec =
  | { status: number; description: string; data: z.ZodType | null; headers?: Record<string, string> }
  | { status: number; description: string; file: string[]; headers?: Record<string, string> };

export type OperationSpec = {
  summary: string;
  description?: string;
  access: Access;
  // Query-string schema (a z.object), parsed with parseQuery.
  query?: z.ZodType;
  // Extra query parameters read by hand (not through a schema), e.g. `download=1`.
  flags?: Record<string, string>;
  // Request body schema, parsed with parseBody (JSON, urlencoded or multipart).
  body?: z.ZodType;
  // A request body that works for the owner's own object (docs example; the verifier sends it);
  // on a GET, the query string the verifier sends (a list comma-separated).
  example?: Record<string, unknown>;
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  success: SuccessSpec[];
  // Error statuses this operation can answer besides the ones every operation of its kind has.
  errors?: number[];
  // Side effects tools must know of: it makes objects, writes the caller's activity log,
  // ends the caller's credentials or deletes the account (the verifier never calls the last two),
  // or answers an endless stream (tools read its status and headers only).
  effect?: "creates" | "records-activity" | "signs-out" | "deletes-account" | "streams";
  // What the owner's object must be in for this operation to succeed (e.g. a job that is
  // rendering), when the objects a recipe makes are not: the owner may then get the 404.
  needs?: string;
};

export type PathSpec = {
  // OpenAPI path, e.g. "/api/jobs/{id}".
  path: string;
  tag: string;
  // What each path parameter names: a resource of resources.ts.
  // `catchAll`: a Next.js catch-all segment ([...model]): the value may hold slashes.
  params?: Record<string, { resource: string; description: string; catchAll?: true }>;
  // The resource whose objects fill the parameters (one object may fill several, e.g. a collection entry).
  resource?: string;
  // Routes that do not answer in the envelope (e.g. an OpenAI-compatible /v1 gateway):
  // a success's `data` schema is the whole body, and every error body has `error`'s schema.
  wire?: { error: z.ZodType };
  operations: Partial<Record<HttpMethod, OperationSpec>>;
};

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input: `meta.field` names the field at fault",
  401: "Authentication required, or invalid, expired or unknown credentials",
  403: "Forbidden: a cross-site request riding on a session cookie, an API key without the scope (`Insufficient permission`) or on a route keys may never use (`Not available to API keys`), or not an administrator",
  404: "Not found. Someone else's object, a missing one and a malformed id answer byte-identically",
  409: "Conflict with the object's current state",
  413: "Request body larger than 64 KiB",
  415: "Unsupported content type",
  429: "Too many requests; `Retry-After` says how long to wait",
  503: "Temporarily unavailable (database unreachable, or the request passed its deadline); `Retry-After` says when to retry",
};
