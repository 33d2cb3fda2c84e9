// Storage clients that are not configured are never loaded: a server on local
// files never imports the AWS SDK (tens of megabytes of resident memory), and a
// server on S3 imports it on first use, not at start-up.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const loaded = vi.hoisted(() => ({ s3Sdk: 0 }));

vi.mock("@aws-sdk/client-s3", () => {
  loaded.s3Sdk++;
  class Command {
    constructor(readonly input: unknown) {}
  }
  return {
    S3Client: class {
      send() {
        return Promise.reject(new Error("no S3 in a unit test"));
      }
    },
    PutObjectCommand: Command,
    GetObjectCommand: Command,
    ListObjectsV2Command: Command,
    DeleteObjectsCommand: Command,
    NoSuchKey: class extends Error {},
  };
});

const saved = { ...process.env };

beforeEach(() => {
  vi.resetModules();
  loaded.s3Sdk = 0;
  process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "darkroom-storage-"));
  process.env.AUTH_SECRET = "a".repeat(40);
  process.env.API_TOKEN_SECRET = "b".repeat(40);
  delete process.env.S3_BUCKET;
});

afterEach(() => {
  process.env = { ...saved };
});

describe("storage on the defaults", () => {
  it("never loads the S3 client when S3 is not configured", async () => {
    const { createStorage } = await import("@/lib/storage");
    const storage = createStorage();
    await storage.put("users/u/jobs/j/image.png", new Uint8Array([1, 2, 3]), "image/png");
    expect(await storage.get("users/u/jobs/j/image.png")).toEqual(Buffer.from([1, 2, 3]));
    expect(loaded.s3Sdk).toBe(0);
  });

  it("loads the S3 client on first use when S3 is configured, not before", async () => {
    process.env.S3_BUCKET = "bucket";
    process.env.S3_ENDPOINT = "http://127.0.0.1:9";
    process.env.S3_ACCESS_KEY_ID = "key";
    process.env.S3_SECRET_ACCESS_KEY = "secret";
    const { createStorage } = await import("@/lib/storage");
    const storage = createStorage();
    expect(loaded.s3Sdk).toBe(0);
    await storage.get("users/u/jobs/j/image.png").catch(() => null);
    expect(loaded.s3Sdk).toBe(1);
  });
});
