// S3-compatible storage against a real S3 server (s3rver, started here): bytes
// in and out, per-person key namespaces, prefix deletes that retry, and a whole
// job rendered through the workflow into the bucket.

import { existsSync } from "node:fs";
import path from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { S3Storage } from "@/lib/storage/s3";
import { createUser } from "../support/api";
import { closeSql, jobRow } from "../support/db";
import { insertQueuedJob, useTestDatabase } from "./support/jobs";
import { type LocalS3, startLocalS3 } from "./support/s3";

let s3: LocalS3;
let storage: S3Storage;

const uuid = () => crypto.randomUUID();
const settings = () => ({ bucket: s3.bucket, region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, ...s3.credentials });

async function keysUnder(prefix: string): Promise<string[]> {
  const client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
  const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  client.destroy();
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(async () => {
  s3 = await startLocalS3();
  storage = new S3Storage(settings(), { attempts: 5, baseDelayMs: 150 });
  useTestDatabase({
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  });
});
afterAll(async () => {
  storage.destroy();
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
  await closeSql();
  await s3.dispose();
});

describe("S3Storage", () => {
  it("stores bytes and gives the same bytes back; a missing key is null", async () => {
    const key = `users/${uuid()}/jobs/${uuid()}/image.png`;
    const bytes = Buffer.from([0, 1, 2, 3, 254, 255]);
    await storage.put(key, bytes, "image/png");
    expect((await storage.get(key))!.equals(bytes)).toBe(true);
    expect(await storage.get(`users/${uuid()}/jobs/${uuid()}/image.png`)).toBeNull();
  });

  it("streams the same bytes in chunks (the export's read); a missing key is null", async () => {
    const key = `users/${uuid()}/jobs/${uuid()}/image.png`;
    const bytes = Buffer.alloc(300 * 1024, 7);
    await storage.put(key, bytes, "image/png");
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await storage.stream(key))!) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(await storage.stream(`users/${uuid()}/jobs/${uuid()}/image.png`)).toBeNull();
  });

  it("deletes one job's objects and nothing of the same person's other jobs or of anyone else", async () => {
    const ada = uuid();
    const bob = uuid();
    const [job1, job2] = [uuid(), uuid()];
    for (const key of [
      `users/${ada}/jobs/${job1}/image.png`,
      `users/${ada}/jobs/${job1}/thumbnail.webp`,
      `users/${ada}/jobs/${job2}/image.png`,
      `users/${bob}/jobs/${job1}/image.png`,
    ]) {
      await storage.put(key, Buffer.from(key), "application/octet-stream");
    }
    await storage.deletePrefix(`users/${ada}/jobs/${job1}/`);
    expect(await keysUnder(`users/${ada}/`)).toEqual([`users/${ada}/jobs/${job2}/image.png`]);
    // The same job id under another owner is another namespace.
    expect(await keysUnder(`users/${bob}/`)).toEqual([`users/${bob}/jobs/${job1}/image.png`]);
    await storage.deletePrefix(`users/${ada}/`);
    expect(await keysUnder(`users/${ada}/`)).toEqual([]);
    expect(await keysUnder(`users/${bob}/`)).toHaveLength(1);
  });

  it("deletes more than one listing page", async () => {
    const prefix = `users/${uuid()}/jobs/${uuid()}/`;
    await Promise.all(Array.from({ length: 30 }, (_, i) => storage.put(`${prefix}part-${i}`, Buffer.from([i]), "application/octet-stream")));
    await storage.deletePrefix(prefix);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it("refuses keys and prefixes that could reach outside one person's namespace", async () => {
    await expect(storage.deletePrefix("")).rejects.toThrow("unsafe storage prefix");
    await expect(storage.deletePrefix("users/")).rejects.toThrow("unsafe storage prefix");
    await expect(storage.deletePrefix(`users/${uuid()}/jobs/`)).rejects.toThrow("unsafe storage prefix");
    await expect(storage.put("../etc/passwd", Buffer.from("x"), "text/plain")).rejects.toThrow("unsafe storage key");
    await expect(storage.get("users/../../x")).rejects.toThrow("unsafe storage key");
  });

  it("retries a failed delete with backoff until the server is back", async () => {
    const prefix = `users/${uuid()}/jobs/${uuid()}/`;
    await storage.put(`${prefix}image.png`, Buffer.from("x"), "image/png");
    const warnings: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line: string | Uint8Array) => warnings.push(String(line)) > 0);
    await s3.stop();
    const deleting = storage.deletePrefix(prefix);
    await new Promise((r) => setTimeout(r, 400));
    await s3.start();
    await deleting;
    vi.restoreAllMocks();
    expect(await keysUnder(prefix)).toEqual([]);
    expect(warnings.some((w) => JSON.parse(w).event === "storage_delete_retry")).toBe(true);
    expect(warnings.some((w) => JSON.parse(w).event === "storage_delete_failed")).toBe(false);
  });

  it("logs and throws when a delete finally fails, instead of dropping it silently", async () => {
    const quick = new S3Storage(settings(), { attempts: 2, baseDelayMs: 10 });
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((line: string | Uint8Array) => lines.push(String(line)) > 0);
    await s3.stop();
    const prefix = `users/${uuid()}/jobs/${uuid()}/`;
    await expect(quick.deletePrefix(prefix)).rejects.toThrow();
    await s3.start();
    vi.restoreAllMocks();
    quick.destroy();
    const last = JSON.parse(lines.filter((l) => l.includes("storage_delete")).at(-1)!);
    expect(last).toMatchObject({ level: "error", event: "storage_delete_failed", prefix, attempt: 2 });
  });
});

describe("a job rendered into S3", () => {
  it("goes through the workflow into the bucket under its owner's namespace, with nothing on local disk", async () => {
    const user = await createUser("s3-owner");
    const job = await insertQueuedJob(user.id, { prompt: "a tide pool at noon", style: "sketch" });
    const { generateImageWorkflow } = await import("@/lib/generation/workflow");
    const { getStorage } = await import("@/lib/storage");
    // S3 is configured, so the storage is not the local one (it loads the S3 client on first use).
    expect(getStorage()).not.toBeInstanceOf((await import("@/lib/storage/local")).LocalStorage);
    const steps = { run: <T>(_id: string, fn: () => Promise<T>) => fn() };
    expect(await generateImageWorkflow(steps, job)).toEqual({ status: "completed" });

    const row = await jobRow(job.jobId);
    expect(row).toMatchObject({ status: "completed", image_key: `users/${user.id}/jobs/${job.jobId}/image.png` });
    expect(await keysUnder(`users/${user.id}/`)).toEqual([row!.image_key, row!.thumbnail_key].sort());
    const image = await getStorage().get(row!.image_key);
    expect((await sharp(image!).metadata()).width).toBe(row!.width);
    expect(existsSync(path.join(inject("dataDir"), "files", "users", user.id))).toBe(false);

    // Deleting the job's files empties its namespace.
    await getStorage().deletePrefix(`users/${user.id}/jobs/${job.jobId}/`);
    expect(await keysUnder(`users/${user.id}/`)).toEqual([]);
  });
});
