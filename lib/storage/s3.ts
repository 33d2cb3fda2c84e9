// S3-compatible object storage (AWS S3, R2, MinIO, ...), selected by S3_BUCKET.
// Objects are written without any ACL (private) and only ever read back
// through the owner-checked /api/images routes, which stream the bytes.
import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { errorText, logger } from "@/lib/log";
import type { Storage } from "./index";
import { assertSafeKey, assertSafePrefix } from "./keys";

export type S3Settings = {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
};

export type DeleteRetry = { attempts: number; baseDelayMs: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class S3Storage implements Storage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    settings: S3Settings,
    private readonly deleteRetry: DeleteRetry = { attempts: 4, baseDelayMs: 200 },
  ) {
    this.bucket = settings.bucket;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Without explicit keys the SDK's default chain applies (IAM role, AWS_* variables).
      credentials:
        settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
      // Many S3-compatible servers reject the newer default CRC checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async get(key: string): Promise<Buffer | null> {
    assertSafeKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!answer.Body) return null;
      return Buffer.from(await answer.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
      throw error;
    }
  }

  async stream(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    assertSafeKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // On Node the SDK's body is a Readable: async-iterable, read as the consumer pulls.
      return (answer.Body as AsyncIterable<Uint8Array> | undefined) ?? null;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
      throw error;
    }
  }

  // Lists and deletes page by page; each round is retried with backoff, and a
  // final failure is logged (with the prefix, for an operator to clean up) and thrown.
  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    // S3 answers a delete of a missing key with success too.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertSafePrefix(prefix);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deleteAll(prefix);
        return;
      } catch (error) {
        const final = attempt >= this.deleteRetry.attempts;
        const fields = { event: final ? "storage_delete_failed" : "storage_delete_retry", prefix, attempt, error: errorText(error) };
        if (final) logger.error(fields);
        else logger.warn(fields);
        if (final) throw error;
        await sleep(this.deleteRetry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async deleteAll(prefix: string): Promise<void> {
    while (true) {
      // Always list from the start: deleted keys drop out, so no continuation token is needed.
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).map((object) => object.Key).filter((key): key is string => Boolean(key));
      if (keys.length === 0) return;
      const answer = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
      if (answer.Errors && answer.Errors.length > 0) {
        const first = answer.Errors[0]!;
        throw new Error(`could not delete ${answer.Errors.length} object(s), e.g. ${first.Key}: ${first.Code ?? "error"}`);
      }
      if (!page.IsTruncated) return;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
