// Environment, validated once with zod. Everything optional has an embedded
// default so that a fresh clone runs with nothing configured; production
// (DARKROOM_ENV=production) refuses to start on generated secrets.
import "server-only";
import { z } from "zod";
import { missingProviderSettings, parseModelId } from "./generation/models/catalog";
import { loadOrCreateSecrets } from "./secrets";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const secret = z.string().min(32, "must be at least 32 characters").optional();

const schema = z.object({
  DARKROOM_ENV: z.enum(["development", "production"]).default("development"),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.url().optional(),
  AUTH_SECRET: secret,
  API_TOKEN_SECRET: secret,
  ACCESS_TOKEN_TTL_SECONDS: int(900, 60, 900),
  REFRESH_TOKEN_TTL_DAYS: int(30, 1, 365),
  REFRESH_TOKEN_FAMILY_DAYS: int(90, 1, 3650),
  JOB_RUNNER: z.enum(["embedded", "inngest"]).default("embedded"),
  IMAGE_MODEL: z.string().min(1).default("local/sketch"),
  // The catalog people choose from; the first is the default. Empty: IMAGE_MODEL alone.
  IMAGE_MODELS: z
    .string()
    .default("")
    .transform((v) => [
      ...new Set(
        v
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ]),
  JOB_MAX_ATTEMPTS: int(3, 1, 10),
  JOB_RETRY_BASE_MS: int(1000, 0, 60_000),
  JOB_CONCURRENCY: int(4, 1, 64),
  JOB_USER_CONCURRENCY: int(2, 1, 16),
  DARKROOM_TEST_HOOKS: bool,
  DB_POOL_MAX: int(10, 1, 100),
  REQUEST_TIMEOUT_MS: int(15_000, 1000, 300_000),
  JOB_SWEEP_INTERVAL_MS: int(30_000, 100, 3_600_000),
  // The OpenAI-compatible gateway (docs/integrations.md): how long POST
  // /v1/images/generations waits for its job, and how long a `url` answer lives.
  OPENAI_GATEWAY_WAIT_MS: int(100_000, 1000, 600_000),
  OPENAI_LINK_TTL_SECONDS: int(3600, 1, 86_400),
  // Live updates (GET /api/events): a heartbeat comment this often, and the
  // stream's credential is re-checked at every heartbeat (tests shorten it).
  EVENTS_HEARTBEAT_MS: int(15_000, 50, 60_000),
  // The offline renderer's pause per progress step (4 steps), so progress can be watched.
  LOCAL_RENDER_STEP_MS: int(0, 0, 10_000),
  // Security (see docs/security.md)
  API_TOKEN_SECRET_PREVIOUS: secret,
  MAX_ACTIVE_JOBS_PER_USER: int(20, 1, 10_000),
  DAILY_JOB_QUOTA: int(500, 1, 1_000_000),
  TRUSTED_PROXY_HOPS: int(0, 0, 10),
  LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: int(5, 1, 1000),
  LOGIN_FAILURES_PER_ACCOUNT: int(20, 1, 10_000),
  LOGIN_FAILURES_PER_DEVICE: int(10, 1, 10_000),
  LOGIN_FAILURES_PER_ADDRESS: int(100, 1, 100_000),
  LOGIN_BLOCK_SECONDS: int(900, 1, 86_400),
  SIGNUPS_PER_ADDRESS_PER_HOUR: int(10, 1, 1_000_000),
  SIGNUPS_PER_HOUR: int(300, 1, 10_000_000),
  PASSWORD_HASH_CONCURRENCY: int(2, 1, 64),
  // Anonymous share links (/s/<token>): requests per minute per trusted address, and overall.
  SHARE_REQUESTS_PER_ADDRESS_PER_MINUTE: int(120, 1, 1_000_000),
  SHARE_REQUESTS_PER_MINUTE: int(3000, 1, 10_000_000),
  // Production engines (see docs/deploy.md): Inngest, hosted image models, S3.
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z.string().optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_BASE_URL: z.url().optional(),
  INNGEST_EVENT_API_BASE_URL: z.url().optional(),
  INNGEST_API_BASE_URL: z.url().optional(),
  INNGEST_USER_CONCURRENCY: int(2, 1, 100),
  INNGEST_SEND_TIMEOUT_MS: int(10_000, 100, 120_000),
  IMAGE_TIMEOUT_MS: int(120_000, 100, 600_000),
  IMAGE_BASE_URL: z.url().optional(),
  IMAGE_API_KEY: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  GOOGLE_GENERATIVE_AI_API_KEY: z.string().optional(),
  GOOGLE_GENERATIVE_AI_BASE_URL: z.url().optional(),
  REPLICATE_API_TOKEN: z.string().optional(),
  FAL_API_KEY: z.string().optional(),
  FAL_KEY: z.string().optional(),
  TOGETHER_API_KEY: z.string().optional(),
  TOGETHER_AI_API_KEY: z.string().optional(),
  // Self-hosted GPU backends (docs/deploy.md): AUTOMATIC1111 / Forge / SD.Next and ComfyUI.
  A1111_BASE_URL: z.url().optional(),
  A1111_AUTH: z
    .string()
    .regex(/^[^:]+:.+$/, "must be user:password (the backend's --api-auth)")
    .optional(),
  A1111_SAMPLER: z.string().min(1).max(100).default("Euler a"),
  A1111_STEPS: int(25, 1, 150),
  A1111_CFG_SCALE: z.coerce.number().min(1).max(30).default(7),
  A1111_TIMEOUT_MS: int(300_000, 1000, 3_600_000),
  A1111_PROGRESS_INTERVAL_MS: int(500, 50, 10_000),
  COMFYUI_BASE_URL: z.url().optional(),
  COMFYUI_WORKFLOWS_DIR: z.string().min(1).default("workflows/comfyui"),
  COMFYUI_TIMEOUT_MS: int(300_000, 1000, 3_600_000),
  // How long a backend may take to accept a request or answer a health check.
  BACKEND_CONNECT_TIMEOUT_MS: int(10_000, 100, 120_000),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name")
    .optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool,
  // Split database roles (docs/deploy.md): migrations run as the owner, the app as a role that can only SET ROLE.
  MIGRATIONS_DATABASE_URL: z.url().optional(),
  MIGRATE_ON_START: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
});

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; API_TOKEN_SECRET: string };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const blankToUndefined = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, process.env[k] === "" ? undefined : process.env[k]]));
  const parsed = schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  if (env.DARKROOM_ENV === "production") {
    const missing = (["AUTH_SECRET", "API_TOKEN_SECRET", "DATABASE_URL"] as const).filter((k) => !env[k]);
    if (missing.length > 0) {
      throw new Error(`Invalid environment:\n${missing.map((k) => `  ${k}: required when DARKROOM_ENV=production`).join("\n")}`);
    }
  }
  const engineIssues = engineProblems(env);
  if (engineIssues.length > 0) throw new Error(`Invalid environment:\n${engineIssues.map((line) => `  ${line}`).join("\n")}`);
  // Generated secrets live under DATA_DIR (never in the repo) so sessions survive restarts.
  const generated = env.AUTH_SECRET && env.API_TOKEN_SECRET ? undefined : loadOrCreateSecrets(env.DATA_DIR);
  cached = {
    ...env,
    AUTH_SECRET: env.AUTH_SECRET ?? generated!.authSecret,
    API_TOKEN_SECRET: env.API_TOKEN_SECRET ?? generated!.apiTokenSecret,
  };
  return cached;
}

// Mirrors the Inngest SDK: INNGEST_DEV=1/true, or the dev server's URL, selects dev mode.
export function inngestDevMode(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  if (!v || v === "0" || v === "false") return false;
  if (v === "1" || v === "true") return true;
  return URL.canParse(v.includes("://") ? v : `http://${v}`);
}

// Rules that span variables, checked at start-up so a misconfigured engine
// stops the server with the variable's name instead of failing the first job.
function engineProblems(env: z.infer<typeof schema>): string[] {
  const problems: string[] = [];
  const dev = inngestDevMode(env.INNGEST_DEV);
  if (env.JOB_RUNNER === "inngest" && !dev) {
    for (const key of ["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"] as const) {
      if (!env[key]) problems.push(`${key}: required when JOB_RUNNER=inngest (or set INNGEST_DEV=1 to use the local Inngest dev server)`);
    }
  }
  // Dev mode skips request signature checks: never acceptable in production.
  if (dev && env.DARKROOM_ENV === "production") problems.push("INNGEST_DEV: must not be set when DARKROOM_ENV=production (it disables signature checks)");
  const [variable, ids] = env.IMAGE_MODELS.length > 0 ? ["IMAGE_MODELS", env.IMAGE_MODELS] : ["IMAGE_MODEL", [env.IMAGE_MODEL]];
  for (const id of ids) {
    const model = parseModelId(id);
    if (!model.ok) problems.push(`${variable}: ${model.reason}`);
    else if (model.ref.provider !== "local") {
      const missing = missingProviderSettings(model.ref.provider, env as unknown as Record<string, string | undefined>);
      for (const name of missing) problems.push(`${variable}: "${id}" needs ${name} to be set`);
    }
  }
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) problems.push("S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither");
  if (env.S3_ENDPOINT && !env.S3_BUCKET) problems.push("S3_BUCKET: required when S3_ENDPOINT is set");
  return problems;
}
