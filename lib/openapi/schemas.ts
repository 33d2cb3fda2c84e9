// The response shapes the API documents, as zod schemas (the document's only
// source of JSON Schema is z.toJSONSchema). They describe what lib/*/public.ts
// produce; the type assertions at the bottom fail `npm run typecheck` when a
// public shape and its schema drift apart, and the API tests validate real
// answers against the document (tests/support/openapi.ts).
import { z } from "zod";
import { jobStatuses } from "@/db/schema";
import type { PublicAccount } from "@/lib/admin/public";
import type { PublicApiKey } from "@/lib/api-keys/public";
import type { PublicAuditEvent } from "@/lib/audit/public";
import type { PublicSession } from "@/lib/auth/sessions";
import type { PublicCollection, PublicCollectionImage } from "@/lib/collections/public";
import type { PublicFavourite } from "@/lib/favourites/public";
import type { ImagesResponse, OpenAIModel } from "@/lib/gateway/service";
import type { BackendStatus } from "@/lib/generation/backends";
import type { PublicImage } from "@/lib/images/public";
import type { PublicJob } from "@/lib/jobs/public";
import type { PublicModel } from "@/lib/models/public";
import type { PublicShare } from "@/lib/shares/public";
import type { PublicUser } from "@/lib/users/queries";

const id = z.string().describe("an id (UUID)");
const timestamp = z.string().describe("ISO 8601 date-time");

export const publicImage = z.object({
  image_id: id,
  index: z.number().int(),
  url: z.string(),
  thumbnail_url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  favourite: z.boolean(),
});

export const publicJob = z.object({
  job_id: id,
  status: z.enum(jobStatuses),
  prompt: z.string(),
  style: z.string(),
  quality: z.string(),
  model: z.string(),
  aspect_ratio: z.string(),
  n: z.number().int(),
  seed: z.number().int().nullable(),
  negative_prompt: z.string().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  image_url: z.string().nullable(),
  thumbnail_url: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  images: z.array(publicImage),
  progress: z
    .object({ fraction: z.number().describe("0 to 1"), step: z.number().int(), steps: z.number().int() })
    .nullable()
    .describe("while processing, how far the renderer is; null when it reports nothing"),
  preview_url: z.string().nullable().describe("while processing, a small preview of the image so far (`/api/jobs/{id}/preview`); null until there is one"),
  created_at: timestamp,
  updated_at: timestamp,
  completed_at: timestamp.nullable(),
});

export const jobList = z.object({ jobs: z.array(publicJob), next_cursor: z.string().nullable() });

export const publicCollection = z.object({
  collection_id: id,
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  image_count: z.number().int(),
  cover_thumbnail_url: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const publicCollectionImage = publicImage.extend({ job_id: id, position: z.number().int() });
export const collectionWithImages = publicCollection.extend({ images: z.array(publicCollectionImage) });

export const publicFavourite = z.object({ image_id: id, favourite: z.boolean() });

export const publicModel = z.object({
  id: z.string(),
  label: z.string(),
  provider: z.string(),
  default: z.boolean(),
  capabilities: z.object({ aspect_ratios: z.array(z.string()), max_n: z.number().int(), seed: z.boolean(), negative_prompt: z.boolean() }),
});

export const publicUser = z.object({ id, email: z.string(), name: z.string().nullable() });
export const currentUser = publicUser.extend({ role: z.enum(["user", "admin"]) });

export const publicApiKey = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()).describe("`generate` and/or `read`"),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  expires_at: timestamp.nullable(),
});
export const createdApiKey = publicApiKey.extend({ key: z.string().describe("`dk_<prefix>_<secret>`: shown in this answer only") });

export const publicAuditEvent = z.object({
  id,
  event: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ip: z.string().nullable(),
  created_at: timestamp,
});

export const publicSession = z.object({
  id,
  browser: z.string(),
  address: z.string().nullable(),
  created_at: timestamp,
  last_seen_at: timestamp,
  current: z.boolean(),
});

export const jobCounts = z.object({
  total: z.number().int(),
  queued: z.number().int(),
  processing: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});
export const publicAccount = z.object({ id, email: z.string(), status: z.enum(["active", "disabled"]), created_at: timestamp, jobs: jobCounts });

export const tokenPair = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  refresh_token: z.string(),
});

export const publicShare = z.object({
  share_id: id,
  kind: z.enum(["image", "collection"]),
  image_id: id.nullable(),
  collection_id: id.nullable(),
  include_parameters: z.boolean(),
  show_name: z.boolean(),
  view_count: z.number().int(),
  created_at: timestamp,
  expires_at: timestamp,
  expired: z.boolean(),
});
export const createdShare = publicShare.extend({ url: z.string().describe("the link (`/s/<token>`): shown in this answer only, only its hash is kept") });

export const backendStatus = z.object({
  provider: z.string(),
  label: z.string(),
  origin: z.string(),
  reachable: z.boolean(),
  detail: z.string(),
  models: z.array(z.string()).describe("checkpoint titles (AUTOMATIC1111) or workflow names (ComfyUI)"),
});

// The OpenAI-compatible gateway (/v1): OpenAI's own shapes, no envelope.
export const openaiModel = z.object({ id: z.string(), object: z.literal("model"), created: z.number().int(), owned_by: z.string() });
export const openaiModelList = z.object({ object: z.literal("list"), data: z.array(openaiModel) });
export const openaiImages = z.object({
  created: z.number().int().describe("Unix seconds"),
  data: z.array(
    z.object({
      b64_json: z.string().optional().describe("the image, base64 (`response_format: b64_json`; the default for gpt-image models)"),
      url: z.string().optional().describe("a short-lived signed link, `/v1/images/links/{token}` (`response_format: url`, the default otherwise)"),
    }),
  ),
  size: z.string().optional(),
  output_format: z.string().optional(),
});
export const openaiError = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});

// The envelope of every JSON answer (lib/envelope.ts): the HTTP status is authoritative.
export const envelopeOf = (data: z.ZodType | null) =>
  z.object({
    meta: z.object({ code: z.literal(1), message: z.string() }),
    data: data ?? z.null(),
  });
export const errorEnvelope = z.object({
  meta: z.object({ code: z.literal(0), message: z.string(), field: z.string().optional().describe("the request field at fault (400 only)") }),
  data: z.null(),
});

// Compile-time: each schema's type and its public shape are the same type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => _;
same<Same<z.infer<typeof publicJob>, PublicJob>>(true);
same<Same<z.infer<typeof publicImage>, PublicImage>>(true);
same<Same<z.infer<typeof publicCollection>, PublicCollection>>(true);
same<Same<z.infer<typeof publicCollectionImage>, PublicCollectionImage>>(true);
same<Same<z.infer<typeof publicFavourite>, PublicFavourite>>(true);
same<Same<z.infer<typeof publicModel>, PublicModel>>(true);
same<Same<z.infer<typeof publicUser>, PublicUser>>(true);
same<Same<z.infer<typeof publicApiKey>, PublicApiKey>>(true);
same<Same<z.infer<typeof publicAuditEvent>, PublicAuditEvent>>(true);
same<Same<z.infer<typeof publicAccount>, PublicAccount>>(true);
same<Same<z.infer<typeof publicSession>, PublicSession>>(true);
same<Same<z.infer<typeof publicShare>, PublicShare>>(true);
same<Same<z.infer<typeof backendStatus>, BackendStatus>>(true);
same<Same<z.infer<typeof openaiModel>, OpenAIModel>>(true);
same<Same<z.infer<typeof openaiImages>, ImagesResponse>>(true);
