// The OpenAPI builder on its own (no server): the real document is valid
// OpenAPI 3.1, request schemas come from the routes' own zod objects, and a
// route outside the envelope (an OpenAI-compatible /v1 one) can be declared
// with its own body and error shapes.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createJobInput } from "@/lib/jobs/input";
import { buildOpenApiDocument, jsonSchemaOf } from "@/lib/openapi/document";
import { PATHS } from "@/lib/openapi/paths";
import type { PathSpec } from "@/lib/openapi/spec";

type Doc = { paths: Record<string, Record<string, { requestBody?: any; responses: Record<string, any> }>> };

describe("the OpenAPI builder", () => {
  it("builds a valid OpenAPI 3.1 document whose request bodies are the routes' zod schemas", async () => {
    const doc = buildOpenApiDocument() as unknown as Doc;
    expect((await new Validator().validate(structuredClone(doc) as never)).valid).toBe(true);
    const body = doc.paths["/api/generate-image"]!.post!.requestBody.content["application/json"].schema;
    expect(body).toEqual(jsonSchemaOf(createJobInput, "input"));
    // Defaults filled in by the schema are optional for the client.
    expect(body.required).toEqual(["prompt"]);
  });

  it("takes a route outside the envelope with its own success and error shapes", async () => {
    const openAiError = z.object({ error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable() }) });
    const gateway: PathSpec = {
      // Not a real route: the real gateway is declared in lib/openapi/paths/gateway.ts (checked below).
      path: "/v1/example",
      tag: "OpenAI-compatible",
      wire: { error: openAiError },
      operations: {
        get: {
          summary: "Models",
          access: "any",
          success: [{ status: 200, description: "Models", data: z.object({ object: z.literal("list"), data: z.array(z.object({ id: z.string() })) }) }],
        },
      },
    };
    const doc = buildOpenApiDocument([...PATHS, gateway]) as unknown as Doc;
    expect((await new Validator().validate(structuredClone(doc) as never)).valid).toBe(true);
    const responses = doc.paths["/v1/example"]!.get!.responses;
    expect(responses["200"].content["application/json"].schema.properties).toHaveProperty("object");
    expect(responses["200"].content["application/json"].schema.properties).not.toHaveProperty("meta");
    expect(responses["401"].content["application/json"].schema).toEqual(jsonSchemaOf(openAiError, "output"));
  });

  it("declares the real gateway's routes in OpenAI's shapes, errors included", () => {
    const doc = buildOpenApiDocument() as unknown as Doc;
    for (const [path, method] of [
      ["/v1/models", "get"],
      ["/v1/models/{model}", "get"],
      ["/v1/images/generations", "post"],
      ["/v1/images/links/{token}", "get"],
    ] as const) {
      const responses = doc.paths[path]![method]!.responses;
      expect(responses["404"] ?? responses["401"], path).toBeDefined();
      for (const status of Object.keys(responses).filter((s) => s !== "200"))
        expect(responses[status].content["application/json"].schema.properties, `${path} ${status}`).toHaveProperty("error");
    }
  });
});
