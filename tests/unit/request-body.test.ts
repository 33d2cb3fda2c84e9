// Request bodies: JSON, urlencoded and multipart forms become plain fields,
// capped in size however the client declares it, and anything else is refused
// with the status the route wrapper will answer.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { MAX_BODY_BYTES, parseBody, parseWith, readFields } from "@/lib/http/body";
import { statusOfKind } from "@/lib/http/status";
import { createJobInput } from "@/lib/jobs/input";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) => new Request("http://darkroom.test/api/x", { method: "POST", body, headers });
const json = (text: string) => post(text, { "content-type": "application/json" });

async function appError(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("readFields", () => {
  it("reads a JSON object, whatever the charset parameter", async () => {
    expect(await readFields(json('{"prompt":"a fox","n":2}'))).toEqual({ prompt: "a fox", n: 2 });
    expect(await readFields(post('{"a":1}', { "content-type": "Application/JSON; charset=utf-8" }))).toEqual({ a: 1 });
  });

  it.each(["{", "", "not json"])("answers 400 for malformed JSON %j", async (text) => {
    const error = await appError(readFields(json(text)));
    expect(error.kind).toBe("invalid_input");
    expect(statusOfKind[error.kind]).toBe(400);
    expect(error.message).toBe("Malformed JSON body");
  });

  it("refuses JSON that is not valid UTF-8", async () => {
    const error = await appError(readFields(post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), { "content-type": "application/json" })));
    expect(error.message).toBe("Malformed JSON body");
  });

  it.each(["[1,2]", "null", '"text"', "42"])("answers 400 when the JSON %s is not an object", async (text) => {
    const error = await appError(readFields(json(text)));
    expect(error.kind).toBe("invalid_input");
    expect(error.message).toBe("The JSON body must be an object");
  });

  it("reads an urlencoded form", async () => {
    const body = new URLSearchParams({ prompt: "a fox & a hound", style: "anime" }).toString();
    expect(await readFields(post(body, { "content-type": "application/x-www-form-urlencoded" }))).toEqual({ prompt: "a fox & a hound", style: "anime" });
  });

  it("reads a multipart form's text fields", async () => {
    const form = new FormData();
    form.set("prompt", "a fox");
    form.set("quality", "high");
    expect(await readFields(post(form))).toEqual({ prompt: "a fox", quality: "high" });
  });

  it("refuses a file in a multipart form", async () => {
    const form = new FormData();
    form.set("prompt", new Blob(["bytes"]), "fox.png");
    const error = await appError(readFields(post(form)));
    expect(error.kind).toBe("invalid_input");
    expect(error.message).toBe('Field "prompt" must be text, not a file');
  });

  it("refuses a multipart body that does not match its boundary", async () => {
    const error = await appError(readFields(post("garbage", { "content-type": "multipart/form-data; boundary=xyz" })));
    expect(error.message).toBe("Malformed form body");
  });

  it("treats an empty body without a content type as no fields", async () => {
    expect(await readFields(post(null))).toEqual({});
  });

  it("answers 415 for other media types, and for a typeless body with content", async () => {
    for (const request of [post("<x/>", { "content-type": "application/xml" }), post("hello", { "content-type": "" })]) {
      const error = await appError(readFields(request));
      expect(error.kind).toBe("unsupported_media_type");
      expect(statusOfKind[error.kind]).toBe(415);
    }
  });

  it("answers 413 when the declared length is over the cap, before reading", async () => {
    const error = await appError(readFields(post("{}", { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) })));
    expect(error.kind).toBe("payload_too_large");
    expect(statusOfKind[error.kind]).toBe(413);
  });

  it("counts the bytes as they stream: an undeclared oversized body is refused too", async () => {
    const big = JSON.stringify({ prompt: "x".repeat(MAX_BODY_BYTES) });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(big);
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    const request = new Request("http://darkroom.test/api/x", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const error = await appError(readFields(request));
    expect(error.kind).toBe("payload_too_large");
  });

  it("accepts a body of exactly the cap", async () => {
    const padding = MAX_BODY_BYTES - '{"p":""}'.length;
    const fields = await readFields(json(JSON.stringify({ p: "x".repeat(padding) })));
    expect((fields.p as string).length).toBe(padding);
  });
});

describe("parseWith / parseBody", () => {
  it("returns the schema's output, defaults applied", async () => {
    expect(await parseBody(json('{"prompt":"  a fox  "}'), createJobInput)).toEqual({
      prompt: "a fox",
      style: "realistic",
      quality: "standard",
      aspect_ratio: "1:1",
      n: 1,
    });
  });

  it("names the first invalid field in the message", async () => {
    const error = await appError(parseBody(json('{"prompt":"a fox","style":"cubism"}'), createJobInput));
    expect(error.kind).toBe("invalid_input");
    expect(error.message).toMatch(/^Invalid field "style": must be one of: realistic, /);
  });

  it("reports a missing required field by name", () => {
    expect(() => parseWith(createJobInput, {})).toThrow('Invalid field "prompt": is required and must be text');
  });

  it("uses the bare message when the issue has no path", () => {
    expect(() => parseWith(z.string({ error: "must be text" }), 5)).toThrow(/^must be text$/);
  });

  it("joins nested paths with dots", () => {
    const schema = z.object({ a: z.object({ b: z.number({ error: "must be a number" }) }) });
    expect(() => parseWith(schema, { a: { b: "x" } })).toThrow('Invalid field "a.b": must be a number');
  });
});
