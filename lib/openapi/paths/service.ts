// The catalog of models, health checks and this document itself.
import { z } from "zod";
import { publicModel } from "../schemas";
import type { PathSpec } from "../spec";

const checks = z.object({
  database: z.string(),
  migrations: z.string(),
  runner: z.string(),
  backends: z
    .record(z.string(), z.string())
    .optional()
    .describe("each configured GPU backend by provider (`a1111`, `comfyui`): `ok` or `unreachable`; an unreachable backend does not make the app unready"),
});

export const servicePaths: PathSpec[] = [
  {
    path: "/api/models",
    tag: "Models",
    operations: {
      get: {
        summary: "The models you may use, with what each can do",
        access: "any",
        success: [{ status: 200, description: "Models", data: z.object({ models: z.array(publicModel) }) }],
      },
    },
  },
  {
    path: "/api/health/live",
    tag: "Health",
    operations: {
      get: {
        summary: "Liveness",
        access: "public",
        success: [{ status: 200, description: "The process answers", data: z.object({ status: z.literal("live") }) }],
      },
    },
  },
  {
    path: "/api/health/ready",
    tag: "Health",
    operations: {
      get: {
        summary: "Readiness: database, migrations, job runner, GPU backends",
        access: "public",
        success: [{ status: 200, description: "Ready", data: z.object({ status: z.literal("ready"), checks }) }],
      },
    },
  },
  {
    path: "/api/openapi.json",
    tag: "Reference",
    operations: {
      get: {
        summary: "This OpenAPI 3.1 document",
        description: "Also rendered at `/docs/api`.",
        access: "public",
        success: [{ status: 200, description: "The document", file: ["application/json"] }],
      },
    },
  },
];
