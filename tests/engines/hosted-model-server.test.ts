// The production engines together on a real server: IMAGE_MODEL=openai:gpt-image-1
// (pointed at a local OpenAI-speaking server) renders real jobs, records the
// model, fails a refused prompt at once; images live in S3 (s3rver), are served
// only to their owner, and deleting a job removes its objects.

import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { type RunningServer, startServer } from "../setup/spawn-server";
import { createUser, type TestUser } from "../support/api";
import { closeSql, jobRow } from "../support/db";
import { METADATA_CHUNKS, pngChunks, pngText } from "../support/png";
import { type FakeOpenAI, PRIVATE_TEXT, startFakeOpenAI } from "./fakes/openai-server";
import { type LocalS3, startLocalS3 } from "./support/s3";

const API_KEY = "sk-test-hosted-server-0123456789";
let server: RunningServer;
let fake: FakeOpenAI;
let ada: TestUser;
let s3: LocalS3;

async function objectsUnder(prefix: string): Promise<string[]> {
  const client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
  const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  client.destroy();
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

async function objectBytes(key: string): Promise<Buffer> {
  const client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
  const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  const bytes = Buffer.from(await object.Body!.transformToByteArray());
  client.destroy();
  return bytes;
}

// The chunk types of a WebP file (RIFF): "EXIF" and "XMP " would be metadata.
function webpChunks(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    types.push(bytes.toString("latin1", offset, offset + 4));
    const size = bytes.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  return types;
}

async function api(path: string, init: { token: string; json?: unknown; method?: string }) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.json ? "POST" : "GET"),
    headers: { authorization: `Bearer ${init.token}`, ...(init.json ? { "content-type": "application/json" } : {}) },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function waitFor(jobId: string, token: string, statuses: string[]) {
  for (let i = 0; i < 200; i++) {
    const res = await api(`/api/image-status/${jobId}`, { token });
    const job = JSON.parse(res.bytes.toString("utf8")).data;
    if (statuses.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not reach ${statuses.join("/")}`);
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  s3 = await startLocalS3();
  server = await startServer({
    port: testPort(122),
    env: {
      IMAGE_MODEL: "openai:gpt-image-1",
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: `${fake.url}/v1`,
      JOB_RUNNER: "embedded",
      JOB_RETRY_BASE_MS: "20",
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: inject("dataDir"),
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    },
  });
  ada = await createUser("ada-hosted");
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await s3?.dispose();
  await closeSql();
});

describe("IMAGE_MODEL=openai:gpt-image-1", () => {
  it("renders a job through the provider and serves the provider's image to its owner", async () => {
    fake.mode = "b64";
    const created = await api("/api/generate-image", { token: ada.token, json: { prompt: "a kite over dunes", style: "anime", quality: "high" } });
    expect(created.status).toBe(202);
    const job = JSON.parse(created.bytes.toString("utf8")).data;
    expect(job.model).toBe("openai:gpt-image-1");
    const done = await waitFor(job.job_id, ada.token, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", width: 96, height: 64, attempts: 1 });
    const sent = fake.requests.find((r) => r.body?.prompt?.startsWith("a kite over dunes"))!;
    expect(sent.body).toMatchObject({ model: "gpt-image-1", n: 1, size: "1024x1024", quality: "high" });
    expect(sent.body.prompt).toContain("anime style");
    const image = await api(`/api/images/${job.job_id}`, { token: ada.token });
    expect(image.status).toBe(200);
    expect(image.bytes.equals(fake.fixture)).toBe(true);

    // The files are in the bucket, under the owner's namespace, and only the owner gets them.
    const prefix = `users/${ada.id}/jobs/${job.job_id}/`;
    expect(await objectsUnder(prefix)).toEqual([`${prefix}image.png`, `${prefix}thumbnail.webp`]);
    const bob = await createUser("bob-hosted");
    expect((await api(`/api/images/${job.job_id}`, { token: bob.token })).status).toBe(404);
    expect((await api(`/api/images/${job.job_id}/thumbnail`, { token: ada.token })).status).toBe(200);

    // Deleting the job removes its objects.
    expect((await api(`/api/jobs/${job.job_id}`, { token: ada.token, method: "DELETE" })).status).toBe(200);
    expect(await objectsUnder(prefix)).toEqual([]);
  });

  it("fails a refused prompt at once with a readable reason, and keeps the key out of the server log", async () => {
    fake.mode = "content-policy";
    const created = await api("/api/generate-image", { token: ada.token, json: { prompt: "refuse me" } });
    const job = JSON.parse(created.bytes.toString("utf8")).data;
    const done = await waitFor(job.job_id, ada.token, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 1, error: "OpenAI refused this prompt under its content policy" });
    expect((await jobRow(job.job_id))!.error).not.toContain("RAW-PROVIDER-TEXT");
    expect(server.output()).toContain('"kind":"content_policy"');
    expect(server.output()).not.toContain(API_KEY);
  });

  it("retries a provider outage and reports it in our words when retries run out", async () => {
    fake.mode = "server-error";
    const created = await api("/api/generate-image", { token: ada.token, json: { prompt: "outage" } });
    const job = JSON.parse(created.bytes.toString("utf8")).data;
    const done = await waitFor(job.job_id, ada.token, ["failed", "completed"]);
    expect(done).toMatchObject({ status: "failed", attempts: 3, error: "OpenAI had a temporary failure; the job will be retried" });
  });

  it("stores no metadata chunk whatever the provider sent, and adds the parameters only to an opted-in download", async () => {
    fake.mode = "metadata";
    // The fake's file really carries them: tEXt, iTXt, zTXt and eXIf, all with private text.
    expect(pngChunks(fake.withMetadata).map((c) => c.type)).toEqual(expect.arrayContaining(["tEXt", "iTXt", "zTXt", "eXIf"]));
    const created = await api("/api/generate-image", { token: ada.token, json: { prompt: "clean files", n: 2 } });
    expect(created.status).toBe(202);
    const job = JSON.parse(created.bytes.toString("utf8")).data;
    const done = await waitFor(job.job_id, ada.token, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", n: 2 });
    const prefix = `users/${ada.id}/jobs/${job.job_id}/`;
    const keys = await objectsUnder(prefix);
    expect(keys).toEqual([`${prefix}image-1.png`, `${prefix}image.png`, `${prefix}thumbnail-1.webp`, `${prefix}thumbnail.webp`]);
    for (const key of keys) {
      const bytes = await objectBytes(key);
      expect(bytes.includes(PRIVATE_TEXT), key).toBe(false);
      if (key.endsWith(".png")) {
        const types = pngChunks(bytes).map((c) => c.type);
        expect(
          types.filter((t) => METADATA_CHUNKS.includes(t)),
          key,
        ).toEqual([]);
        // Same pixels, nothing else: exactly the clean picture the metadata was added to.
        expect(bytes.equals(fake.fixture), key).toBe(true);
      } else {
        expect(
          webpChunks(bytes).filter((t) => t === "EXIF" || t === "XMP "),
          key,
        ).toEqual([]);
      }
    }
    const served = await api(`/api/images/${done.images[1].image_id}?download=1`, { token: ada.token });
    expect(pngChunks(served.bytes).filter((c) => METADATA_CHUNKS.includes(c.type))).toEqual([]);
    const withParameters = await api(`/api/images/${done.images[1].image_id}?download=1&parameters=1`, { token: ada.token });
    expect(withParameters.status).toBe(200);
    expect(withParameters.headers.get("content-type")).toBe("image/png");
    expect(Object.keys(pngText(withParameters.bytes))).toEqual(["parameters"]);
    expect(pngText(withParameters.bytes).parameters).toMatch(
      /^clean files\n(Seed: \d+, )?Size: 96x64, Model: "openai:gpt-image-1", Style: realistic, Quality: standard$/,
    );
    expect(withParameters.bytes.includes(PRIVATE_TEXT)).toBe(false);
  });
});
