// Start-up validation of the production engines' variables: a misconfigured
// engine stops the server with a message naming the variable, before any job.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const touched = new Set<string>();
const saved = { ...process.env };
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-env-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));
afterEach(() => {
  for (const key of touched) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  touched.clear();
});

// A fresh copy of lib/env.ts (it caches), reading exactly these variables.
async function loadEnv(vars: Record<string, string>) {
  const engineVars = Object.keys(process.env).filter((k) => /^(INNGEST_|IMAGE_|OPENAI_|GOOGLE_|REPLICATE_|FAL_|TOGETHER_|S3_|JOB_RUNNER|DARKROOM_ENV)/.test(k));
  for (const key of [...engineVars, ...Object.keys(vars)]) touched.add(key);
  for (const key of engineVars) delete process.env[key];
  Object.assign(process.env, { DATA_DIR: dataDir, ...vars });
  touched.add("DATA_DIR");
  vi.resetModules();
  const { getEnv } = await import("@/lib/env");
  return () => getEnv();
}

describe("JOB_RUNNER=inngest", () => {
  it("refuses to start without INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY, naming both", async () => {
    const getEnv = await loadEnv({ JOB_RUNNER: "inngest" });
    expect(getEnv).toThrow(/INNGEST_EVENT_KEY: required when JOB_RUNNER=inngest/);
    expect(getEnv).toThrow(/INNGEST_SIGNING_KEY: required when JOB_RUNNER=inngest/);
  });

  it("names only the missing key", async () => {
    const getEnv = await loadEnv({ JOB_RUNNER: "inngest", INNGEST_EVENT_KEY: "evt" });
    expect(getEnv).toThrow(/INNGEST_SIGNING_KEY/);
    expect(getEnv).not.toThrow(/INNGEST_EVENT_KEY/);
  });

  it("starts with both keys, or with INNGEST_DEV for the local dev server", async () => {
    const withKeys = await loadEnv({ JOB_RUNNER: "inngest", INNGEST_EVENT_KEY: "evt", INNGEST_SIGNING_KEY: "signkey-prod-abcdef" });
    expect(withKeys()).toMatchObject({ JOB_RUNNER: "inngest", INNGEST_USER_CONCURRENCY: 2, INNGEST_SEND_TIMEOUT_MS: 10_000 });
    expect((await loadEnv({ JOB_RUNNER: "inngest", INNGEST_DEV: "1" }))().JOB_RUNNER).toBe("inngest");
    expect((await loadEnv({ JOB_RUNNER: "inngest", INNGEST_DEV: "http://localhost:8288" }))().JOB_RUNNER).toBe("inngest");
    // INNGEST_DEV=0 is cloud mode: the keys are required again.
    expect(await loadEnv({ JOB_RUNNER: "inngest", INNGEST_DEV: "0" })).toThrow(/INNGEST_SIGNING_KEY/);
  });

  it("never accepts INNGEST_DEV in production, where it would switch off signature checks", async () => {
    const getEnv = await loadEnv({
      DARKROOM_ENV: "production",
      DATABASE_URL: "postgres://app@db.internal/darkroom",
      AUTH_SECRET: "a".repeat(32),
      API_TOKEN_SECRET: "b".repeat(32),
      JOB_RUNNER: "inngest",
      INNGEST_DEV: "1",
    });
    expect(getEnv).toThrow(/INNGEST_DEV: must not be set when DARKROOM_ENV=production/);
  });

  it("bounds INNGEST_USER_CONCURRENCY", async () => {
    expect(await loadEnv({ INNGEST_USER_CONCURRENCY: "0" })).toThrow(/INNGEST_USER_CONCURRENCY/);
    expect((await loadEnv({ INNGEST_USER_CONCURRENCY: "5" }))().INNGEST_USER_CONCURRENCY).toBe(5);
  });
});

describe("IMAGE_MODEL", () => {
  it("defaults to the offline renderer", async () => {
    expect((await loadEnv({}))().IMAGE_MODEL).toBe("local/sketch");
  });

  it.each([
    ["gpt-image-1", /IMAGE_MODEL: must be "local\/sketch" or "<provider>:<model>"/],
    ["midjourney:v7", /IMAGE_MODEL: unknown provider "midjourney"/],
    ["openai:", /IMAGE_MODEL: "" is not a valid model name/],
    ["google:imagen-4.0-generate-001", /IMAGE_MODEL: Google image models must be Gemini models/],
  ])("rejects %s with a clear error naming IMAGE_MODEL", async (value, message) => {
    expect(await loadEnv({ IMAGE_MODEL: value })).toThrow(message);
  });

  it.each([
    ["openai:gpt-image-1", {}, /IMAGE_MODEL: "openai:gpt-image-1" needs OPENAI_API_KEY/],
    ["google:gemini-2.5-flash-image", {}, /needs GOOGLE_GENERATIVE_AI_API_KEY/],
    ["replicate:black-forest-labs/flux-schnell", {}, /needs REPLICATE_API_TOKEN/],
    ["fal:fal-ai/flux/dev", {}, /needs FAL_API_KEY or FAL_KEY/],
    ["togetherai:black-forest-labs/FLUX.1-schnell", {}, /needs TOGETHER_API_KEY or TOGETHER_AI_API_KEY/],
    ["compatible:stablediffusion", {}, /needs IMAGE_BASE_URL/],
  ])("requires %s's credentials at start-up", async (value, extra, message) => {
    expect(await loadEnv({ IMAGE_MODEL: value, ...extra })).toThrow(message);
  });

  it("accepts a provider model once its settings are there", async () => {
    expect((await loadEnv({ IMAGE_MODEL: "openai:dall-e-3", OPENAI_API_KEY: "sk-x" }))().IMAGE_MODEL).toBe("openai:dall-e-3");
    expect((await loadEnv({ IMAGE_MODEL: "fal:fal-ai/flux/dev", FAL_KEY: "k" }))().FAL_KEY).toBe("k");
    expect((await loadEnv({ IMAGE_MODEL: "compatible:sd", IMAGE_BASE_URL: "http://localai:8080/v1" }))().IMAGE_BASE_URL).toBe("http://localai:8080/v1");
    expect(await loadEnv({ IMAGE_MODEL: "compatible:sd", IMAGE_BASE_URL: "not a url" })).toThrow(/IMAGE_BASE_URL/);
  });
});

describe("S3 storage", () => {
  it("needs both halves of a key pair and a bucket for an endpoint", async () => {
    expect(await loadEnv({ S3_BUCKET: "images", S3_ACCESS_KEY_ID: "id" })).toThrow(/S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither/);
    expect(await loadEnv({ S3_ENDPOINT: "http://minio:9000" })).toThrow(/S3_BUCKET: required when S3_ENDPOINT is set/);
    expect(await loadEnv({ S3_BUCKET: "Not_A_Bucket" })).toThrow(/S3_BUCKET: must be a bucket name/);
    const env = (await loadEnv({ S3_BUCKET: "images", S3_FORCE_PATH_STYLE: "true" }))();
    expect(env).toMatchObject({ S3_BUCKET: "images", S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: true });
  });
});
