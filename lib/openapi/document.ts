// Builds the OpenAPI 3.1 document of the HTTP API (GET /api/openapi.json,
// rendered at /docs/api) from the declarations in lib/openapi/paths/. Request
// schemas are the routes' own zod objects, turned into JSON Schema by zod 4's
// `z.toJSONSchema` (input side: what a client sends); responses are the
// envelope around lib/openapi/schemas.ts. Nothing here is per-user: the
// document is the same for everyone and may be public.
import { z } from "zod";
import { PATHS } from "./paths";
import { RESOURCES } from "./resources";
import { envelopeOf, errorEnvelope } from "./schemas";
import { type Access, ERROR_DESCRIPTIONS, type HttpMethod, type OperationSpec, type PathSpec } from "./spec";

type JsonSchema = Record<string, unknown>;

// A field that accepts `undefined` (a default, a preprocess that fills one in)
// is optional for the client, whatever zod infers for the parsed output.
function optionalOnInput(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }) {
  const def = ctx.zodSchema._zod.def as { type: string; shape?: Record<string, z.ZodType> };
  const required = ctx.jsonSchema.required as string[] | undefined;
  if (def.type !== "object" || !def.shape || !required) return;
  const stillRequired = required.filter((key) => !def.shape![key]?.safeParse(undefined).success);
  if (stillRequired.length > 0) ctx.jsonSchema.required = stillRequired;
  else delete ctx.jsonSchema.required;
}

export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    override: io === "input" ? optionalOnInput : undefined,
  }) as JsonSchema;
  return rest;
}

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  admin: [{ sessionCookie: [] }, { accessToken: [] }],
  "no-keys": [{ sessionCookie: [] }, { accessToken: [] }],
  any: [{ sessionCookie: [] }, { accessToken: [] }, { apiKey: [] }],
  read: [{ sessionCookie: [] }, { accessToken: [] }, { apiKey: ["read"] }],
  generate: [{ sessionCookie: [] }, { accessToken: [] }, { apiKey: ["generate"] }],
};

const ACCESS_TEXT: Record<Access, string> = {
  public: "No credentials needed.",
  admin: "Administrators only (session or access token).",
  "no-keys": "A session or an access token; API keys are refused (403 `Not available to API keys`).",
  any: "A session, an access token, or an API key of any scope.",
  read: "A session, an access token, or an API key with the `read` scope.",
  generate: "A session, an access token, or an API key with the `generate` scope.",
};

const retryAfter = { "Retry-After": { description: "seconds to wait", schema: { type: "string" } } };

function errorStatuses(method: HttpMethod, spec: PathSpec, op: OperationSpec): number[] {
  const statuses = new Set(op.errors ?? []);
  if (op.access !== "public") statuses.add(401);
  if (op.access !== "public" && !(op.access === "any" && method === "get")) statuses.add(403);
  if (op.body || op.query || op.headers) statuses.add(400);
  if (op.body) for (const s of [413, 415]) statuses.add(s);
  if (spec.params) statuses.add(404);
  statuses.add(503);
  return [...statuses].sort();
}

function responses(method: HttpMethod, spec: PathSpec, op: OperationSpec) {
  const out: Record<string, unknown> = {};
  for (const success of op.success) {
    const headers = Object.fromEntries(Object.entries(success.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: "string" } }]));
    const content =
      "file" in success
        ? Object.fromEntries(
            success.file.map((type) => [type, { schema: type === "application/json" ? { type: "object" } : { type: "string", contentMediaType: type } }]),
          )
        : { "application/json": { schema: jsonSchemaOf(spec.wire ? (success.data ?? z.null()) : envelopeOf(success.data), "output") } };
    out[String(success.status)] = { description: success.description, ...(headers && Object.keys(headers).length ? { headers } : {}), content };
  }
  const error = { "application/json": { schema: spec.wire ? jsonSchemaOf(spec.wire.error, "output") : { $ref: "#/components/schemas/ErrorEnvelope" } } };
  for (const status of errorStatuses(method, spec, op)) {
    out[String(status)] = {
      description: ERROR_DESCRIPTIONS[status] ?? "Error",
      ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
      content: error,
    };
  }
  out.default = { description: "Unexpected error (500, with a request id to quote)", content: error };
  return out;
}

function parameters(spec: PathSpec, op: OperationSpec) {
  const params: Record<string, unknown>[] = [];
  for (const [name, p] of Object.entries(spec.params ?? {})) {
    params.push({
      name,
      in: "path",
      required: true,
      description: p.description,
      schema: { type: "string" },
      "x-darkroom-resource": p.resource,
      ...(p.catchAll ? { "x-darkroom-catch-all": true } : {}),
    });
  }
  if (op.query) {
    const schema = jsonSchemaOf(op.query, "input");
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties as Record<string, JsonSchema>) ?? {})) {
      params.push({ name, in: "query", required: required.has(name), schema: property });
    }
  }
  for (const [name, description] of Object.entries(op.flags ?? {}))
    params.push({ name, in: "query", required: false, description, schema: { type: "string", enum: ["1"] } });
  for (const [name, h] of Object.entries(op.headers ?? {}))
    params.push({ name, in: "header", required: false, description: h.description, schema: jsonSchemaOf(h.schema, "input") });
  return params;
}

function operation(method: HttpMethod, spec: PathSpec, op: OperationSpec) {
  const body = op.body ? jsonSchemaOf(op.body, "input") : undefined;
  return {
    operationId: `${method}${spec.path.replace(/\{([^}]+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    tags: [spec.tag],
    summary: op.summary,
    description: [op.description, ACCESS_TEXT[op.access]].filter(Boolean).join("\n\n"),
    security: SECURITY[op.access],
    parameters: parameters(spec, op),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: body, ...(op.example ? { example: op.example } : {}) },
              "application/x-www-form-urlencoded": { schema: body },
              "multipart/form-data": { schema: body },
            },
          },
        }
      : {}),
    responses: responses(method, spec, op),
    "x-darkroom": {
      access: op.access,
      ...(spec.resource ? { resource: spec.resource } : {}),
      ...(op.effect ? { effect: op.effect } : {}),
      ...(op.needs ? { needs: op.needs } : {}),
      ...(op.example ? { example: op.example } : {}),
    },
  };
}

export function buildOpenApiDocument(declared: PathSpec[] = PATHS) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of declared) {
    if (paths[spec.path]) throw new Error(`OpenAPI: ${spec.path} is declared twice`);
    paths[spec.path] = Object.fromEntries(Object.entries(spec.operations).map(([method, op]) => [method, operation(method as HttpMethod, spec, op!)]));
  }
  return {
    openapi: "3.1.1",
    info: {
      title: "Darkroom API",
      version: "1",
      description:
        "Every JSON answer is the envelope `{meta: {code, message, field?}, data}`; the HTTP status is authoritative. " +
        "Nobody can see, fetch or detect another person's objects: someone else's object and a missing one answer byte-identically (404). " +
        "The seed's paths `/api/v1/<route>/` answer exactly like `/api/<route>`.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(declared.map((p) => p.tag))].map((name) => ({ name })),
    security: [{ sessionCookie: [] }, { accessToken: [] }, { apiKey: [] }],
    components: {
      schemas: { ErrorEnvelope: jsonSchemaOf(errorEnvelope, "output") },
      securitySchemes: {
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description: "A browser session (Auth.js; `__Secure-authjs.session-token` over HTTPS). Unsafe methods must come from the app's own origin.",
        },
        accessToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "A short-lived access token from `POST /api/token` (HS256, `typ: at+jwt`).",
        },
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "dk_<prefix>_<secret>",
          description: "A personal API key (`POST /api/account/keys`), limited by its scopes `read` and `generate`.",
        },
      },
    },
    paths,
    "x-darkroom": { resources: RESOURCES },
  };
}

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;
export const openApiDocument = () => {
  cached ??= buildOpenApiDocument();
  return cached;
};
