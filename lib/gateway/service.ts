// The OpenAI-compatible gateway (issue 14): OpenAI's image request becomes an
// ordinary Darkroom job of the caller, made by lib/jobs/service.ts under the
// same quotas and model permissions, waited for, and answered in OpenAI's
// shape with the images inline (b64_json) or as short-lived signed links (url).
// Nothing here reads anyone's rows but the caller's; a link's owner is known
// only from its verified signature.
import "server-only";
import { getEnv } from "@/lib/env";
import { DomainError, ForbiddenError, InvalidInputError, imageNotFound, jobNotFound, NotFoundError } from "@/lib/errors";
import { offeredModelIds } from "@/lib/generation/models";
import { findImage } from "@/lib/images/queries";
import { type ImageFile, readImage } from "@/lib/images/service";
import { createJobInput } from "@/lib/jobs/input";
import type { PublicJob } from "@/lib/jobs/public";
import { createJob, getJob } from "@/lib/jobs/service";
import type { PublicModel } from "@/lib/models/public";
import { type Caller, listModels } from "@/lib/models/service";
import { findAccount } from "@/lib/users/queries";
import { GatewayError, generationFailed, generationTimedOut, modelNotFound } from "./errors";
import { aspectRatioFor, type GenerationInput, OPENAI_PARAM, qualityFor, styleFor } from "./input";
import { linkKey, signLink, verifyLink } from "./links";

export type OpenAIModel = { id: string; object: "model"; created: number; owned_by: string };
export type OpenAIImage = { b64_json?: string; url?: string };
export type ImagesResponse = { created: number; data: OpenAIImage[]; size?: string; output_format?: string };

// Models have no creation date in Darkroom; a fixed one keeps the list stable.
const MODEL_CREATED = 0;
const toOpenAIModel = (model: PublicModel): OpenAIModel => ({ id: model.id, object: "model", created: MODEL_CREATED, owned_by: model.provider });

export async function listGatewayModels(caller: Caller): Promise<{ object: "list"; data: OpenAIModel[] }> {
  return { object: "list", data: (await listModels(caller)).models.map(toOpenAIModel) };
}

export async function getGatewayModel(caller: Caller, id: string): Promise<OpenAIModel> {
  const model = (await listModels(caller)).models.find((m) => m.id === id);
  if (!model) throw modelNotFound(id);
  return toOpenAIModel(model);
}

// OpenAI's own image model names. Clients that cannot choose a model
// (LibreChat's DALL·E 3 tool always sends "dall-e-3") get the caller's default
// for them, unless the catalog offers `openai:<name>`, which then decides.
const OPENAI_MODEL_NAME = /^(dall-e-[23]|gpt-image-[\w.-]+|chatgpt-image-latest)$/;

async function resolveModel(caller: Caller, requested: string | undefined): Promise<PublicModel> {
  const allowed = (await listModels(caller)).models;
  const fallback = allowed.find((m) => m.default) ?? allowed[0];
  const id = requested?.trim() || undefined;
  if (id === undefined) {
    if (!fallback) throw modelNotFound(offeredModelIds()[0]!);
    return fallback;
  }
  const exact = allowed.find((m) => m.id === id);
  if (exact) return exact;
  if (OPENAI_MODEL_NAME.test(id)) {
    const hosted = `openai:${id}`;
    const offered = allowed.find((m) => m.id === hosted);
    if (offered) return offered;
    if (!offeredModelIds().includes(hosted) && fallback) return fallback;
  }
  throw modelNotFound(id);
}

// A job field's 400 renamed to the OpenAI parameter it came from.
function asOpenAIParam(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.kind !== "invalid_input" || error.field === undefined) return error;
  const param = OPENAI_PARAM[error.field] ?? error.field;
  return new GatewayError(400, error.message.replace(`"${error.field}"`, `"${param}"`), { type: "invalid_request_error", param });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls the job row as its owner, 100 ms at first, then half as long again
// each time up to a second: a local render is answered within ~100 ms of
// finishing, and a minute-long hosted one costs about a query a second.
async function waitForJob(userId: string, jobId: string, waitMs: number, signal?: AbortSignal): Promise<PublicJob> {
  const deadline = Date.now() + waitMs;
  let delay = 100;
  while (true) {
    const job = await getJob(userId, jobId);
    if (job.status === "completed" || job.status === "failed") return job;
    const left = deadline - Date.now();
    // A client that hung up gets nothing; the job goes on in the gallery either way.
    if (left <= 0 || signal?.aborted) throw generationTimedOut(Math.round(waitMs / 1000), jobId);
    await sleep(Math.min(delay, left));
    delay = Math.min(Math.round(delay * 1.5), 1000);
  }
}

const FORMATS: Record<string, string> = { "image/png": "png", "image/webp": "webp", "image/jpeg": "jpeg" };
const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/webp": "webp", "image/jpeg": "jpg" };
const nowSeconds = () => Math.floor(Date.now() / 1000);

// As OpenAI: GPT image models answer inline unless asked otherwise, the older
// (DALL·E) ones with a URL, and so does a Darkroom model id named without a format.
const responseFormat = (input: GenerationInput) =>
  input.response_format ?? (input.model && /^(gpt-image|chatgpt-image)/.test(input.model) ? "b64_json" : "url");

export type GenerateOptions = { idempotencyKey: string | null; origin: string; signal?: AbortSignal };

export async function generateImages(caller: Caller, input: GenerationInput, options: GenerateOptions): Promise<ImagesResponse> {
  const env = getEnv();
  const model = await resolveModel(caller, input.model);
  const fields = {
    prompt: input.prompt,
    model: model.id,
    n: input.n ?? 1,
    aspect_ratio: aspectRatioFor(input.size, model.capabilities.aspect_ratios),
    quality: qualityFor(input.quality, input.size),
    style: styleFor(input.style),
  };
  // The job's own request rules (prompt length, n ≤ 4, …), not a copy of them.
  const parsed = createJobInput.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw asOpenAIParam(new InvalidInputError(String(issue.path[0] ?? "prompt"), issue.message));
  }
  let created: PublicJob;
  try {
    created = (await createJob(caller, parsed.data, options.idempotencyKey)).job;
  } catch (error) {
    // The operator restricted the model between the check above and the job.
    if (error instanceof ForbiddenError) throw modelNotFound(model.id);
    throw asOpenAIParam(error);
  }
  const job = created.status === "completed" ? created : await waitForJob(caller.id, created.job_id, env.OPENAI_GATEWAY_WAIT_MS, options.signal);
  if (job.status === "failed") throw generationFailed(job.job_id, job.error);
  const completedAt = job.completed_at ? Math.floor(Date.parse(job.completed_at) / 1000) : nowSeconds();
  const rows = await Promise.all(job.images.map((image) => findImage({ userId: caller.id, id: image.image_id })));
  const images = rows.map((row) => {
    if (!row) throw jobNotFound(); // deleted while we answered
    return row.image;
  });
  const first = images[0];
  const shape = {
    created: completedAt,
    size: first ? `${first.width}x${first.height}` : undefined,
    output_format: first ? FORMATS[first.contentType] : undefined,
  };
  if (responseFormat(input) === "b64_json") {
    const files = await Promise.all(images.map((image) => readImage(caller.id, image.id, "image")));
    return { ...shape, data: files.map(({ file }) => ({ b64_json: file.bytes.toString("base64") })) };
  }
  const issuedAtMs = Date.now();
  const expiresAt = Math.floor(issuedAtMs / 1000) + env.OPENAI_LINK_TTL_SECONDS;
  const key = linkKey(env.AUTH_SECRET);
  return {
    ...shape,
    data: images.map((image) => {
      const token = signLink(key, { imageId: image.id, userId: caller.id, issuedAtMs, expiresAt });
      return { url: `${options.origin}/v1/images/links/${token}.${EXTENSIONS[image.contentType] ?? "img"}` };
    }),
  };
}

// GET /v1/images/links/{token}: the image if the link is genuine, unexpired,
// its owner's account still in good standing (not disabled, not signed out
// everywhere since the link was made) and the image still there. Every other
// case is the same NotFoundError as a missing image on /api/images.
export async function readLinkedImage(tokenWithExtension: string): Promise<ImageFile> {
  const token = tokenWithExtension.replace(/\.(png|webp|jpg|img)$/, "");
  const claims = verifyLink(linkKey(getEnv().AUTH_SECRET), token, nowSeconds());
  if (!claims) throw imageNotFound();
  const account = await findAccount(claims.userId);
  if (!account || account.disabledAt !== null || claims.issuedAtMs < account.tokensValidAfter.getTime()) throw imageNotFound();
  try {
    return (await readImage(claims.userId, claims.imageId, "image")).file;
  } catch (error) {
    throw error instanceof NotFoundError ? imageNotFound() : error;
  }
}
