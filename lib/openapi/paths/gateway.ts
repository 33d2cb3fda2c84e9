// The OpenAI-compatible gateway (docs/integrations.md): OpenAI's request and
// answer shapes, and every error in OpenAI's `{error: {message, type, param, code}}`
// instead of the envelope (lib/http/openai.ts), so OpenAI's SDKs work unchanged.
import { generationInput } from "@/lib/gateway/input";
import { idempotencyKeyInput } from "@/lib/jobs/input";
import { openaiError, openaiImages, openaiModel, openaiModelList } from "../schemas";
import type { PathSpec } from "../spec";

const wire = { error: openaiError };

export const gatewayPaths: PathSpec[] = [
  {
    path: "/v1/images/generations",
    tag: "OpenAI-compatible gateway",
    wire,
    operations: {
      post: {
        summary: "Generate images (OpenAI's images API)",
        description:
          "Makes an ordinary Darkroom job in your gallery (same quotas and model permissions), waits for it and answers with its images: " +
          "inline (`b64_json`) or as short-lived signed links (`url`, `GET /v1/images/links/{token}`). " +
          "A job not ready in time is a 504 (it keeps running and appears in your gallery); a failed one is a 500 `generation_failed`.",
        access: "generate",
        body: generationInput,
        example: { prompt: "a lighthouse at dusk", size: "1024x1024", response_format: "url" },
        headers: { "Idempotency-Key": { schema: idempotencyKeyInput, description: "retries with the same key answer the job already made" } },
        success: [{ status: 200, description: "The images", data: openaiImages }],
        errors: [404, 409, 429, 504],
        effect: "creates",
      },
    },
  },
  {
    path: "/v1/models",
    tag: "OpenAI-compatible gateway",
    wire,
    operations: {
      get: {
        summary: "The image models you may use (OpenAI's list shape)",
        access: "any",
        success: [{ status: 200, description: "Models", data: openaiModelList }],
      },
    },
  },
  {
    path: "/v1/models/{model}",
    tag: "OpenAI-compatible gateway",
    wire,
    params: { model: { resource: "model", description: "a model id; it may hold a slash, e.g. `local/sketch`", catchAll: true } },
    resource: "model",
    operations: {
      get: {
        summary: "One model, if you may use it",
        description: "A model you may not use is the same 404 as one that does not exist.",
        access: "any",
        success: [{ status: 200, description: "The model", data: openaiModel }],
      },
    },
  },
  {
    path: "/v1/images/links/{token}",
    tag: "OpenAI-compatible gateway",
    wire,
    params: { token: { resource: "image_link", description: "the signed token of a link from a `response_format: url` answer (with its file extension)" } },
    resource: "image_link",
    operations: {
      get: {
        summary: "An image by its signed link",
        description:
          "The link is the credential (no Authorization). A forged, tampered, expired or revoked link, and one whose image is gone, all answer the same 404.",
        access: "public",
        success: [
          { status: 200, description: "The image", file: ["image/png", "image/jpeg", "image/webp"], headers: { "Cache-Control": "`private, no-store`" } },
        ],
      },
    },
  },
];
