// Environment, validated once with zod. Everything optional has an embedded
// default so that a fresh clone runs with nothing configured; production
// (DARKROOM_ENV=production) refuses to start on generated secrets.
import "server-only";
import { z } from "zod";
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
  JOB_RUNNER: z.enum(["embedded", "inngest"]).default("embedded"),
  IMAGE_MODEL: z.string().min(1).default("local/sketch"),
  JOB_MAX_ATTEMPTS: int(3, 1, 10),
  JOB_RETRY_BASE_MS: int(1000, 0, 60_000),
  JOB_CONCURRENCY: int(4, 1, 64),
  JOB_USER_CONCURRENCY: int(2, 1, 16),
  DARKROOM_TEST_HOOKS: bool,
  DB_POOL_MAX: int(10, 1, 100),
  JOB_SWEEP_INTERVAL_MS: int(30_000, 100, 3_600_000),
  // Security (see docs/security.md)
  API_TOKEN_SECRET_PREVIOUS: secret,
  ADMIN_EMAILS: z.string().default(""),
  MAX_ACTIVE_JOBS_PER_USER: int(20, 1, 10_000),
  DAILY_JOB_QUOTA: int(500, 1, 1_000_000),
  TRUSTED_PROXY_HOPS: int(0, 0, 10),
  LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: int(5, 1, 1000),
  LOGIN_FAILURES_PER_ACCOUNT: int(20, 1, 10_000),
  LOGIN_FAILURES_PER_ADDRESS: int(100, 1, 100_000),
  LOGIN_BLOCK_SECONDS: int(900, 1, 86_400),
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
  // Generated secrets live under DATA_DIR (never in the repo) so sessions survive restarts.
  const generated = env.AUTH_SECRET && env.API_TOKEN_SECRET ? undefined : loadOrCreateSecrets(env.DATA_DIR);
  cached = {
    ...env,
    AUTH_SECRET: env.AUTH_SECRET ?? generated!.authSecret,
    API_TOKEN_SECRET: env.API_TOKEN_SECRET ?? generated!.apiTokenSecret,
  };
  return cached;
}
