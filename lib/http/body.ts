// Reads a request body (JSON, urlencoded or multipart form) into a plain object
// of fields, with a hard size cap, then validates it with a zod schema.
import type { z } from "zod";
import { DomainError, InvalidInputError } from "@/lib/errors";
import { findUncleanText } from "@/lib/text";

export const MAX_BODY_BYTES = 64 * 1024;

async function readCapped(request: Request): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Counted as it streams, so a lying or absent Content-Length cannot get more through.
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const tooLarge = () => new DomainError("payload_too_large", `Request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);

// Every text field of every request, before validation: a NUL or other control
// character (or a lone surrogate) is refused by name, so nothing stores it and
// PostgreSQL never gets to refuse it with a 500. `label` names a bare value (a header).
export function assertCleanText(input: unknown, label = "value"): void {
  const path = findUncleanText(input);
  if (path !== null) throw new InvalidInputError(path || label, "must not contain control characters");
}

export async function readFields(request: Request): Promise<Record<string, unknown>> {
  const fields = await readRawFields(request);
  assertCleanText(fields);
  return fields;
}

async function readRawFields(request: Request): Promise<Record<string, unknown>> {
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  const mediaType = contentType.split(";")[0]!.trim();
  const bytes = await readCapped(request);
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      throw new DomainError("invalid_input", "Malformed JSON body");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new DomainError("invalid_input", "The JSON body must be an object");
    }
    return parsed as Record<string, unknown>;
  }
  if (mediaType === "application/x-www-form-urlencoded" || mediaType === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw new DomainError("invalid_input", "Malformed form body");
    }
    const fields: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value !== "string") throw new DomainError("invalid_input", `Field "${key}" must be text, not a file`);
      fields[key] = value;
    }
    return fields;
  }
  if (bytes.byteLength === 0 && mediaType === "") return {};
  throw new DomainError("unsupported_media_type", "Unsupported content type: send application/json, application/x-www-form-urlencoded or multipart/form-data");
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  assertCleanText(input, schema.description);
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join(".");
    throw field ? new InvalidInputError(field, issue.message) : new DomainError("invalid_input", issue.message);
  }
  return result.data;
}

export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readFields(request));
}
