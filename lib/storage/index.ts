// Where image files live. Keys are namespaced per owner
// (`users/<userId>/jobs/<jobId>/...`) and files are only ever served through
// the owner-checked /api/images routes, never from a public folder or bucket.
// S3_BUCKET selects S3-compatible storage; otherwise files go under DATA_DIR.
import "server-only";
import { getEnv } from "@/lib/env";
import { LocalStorage } from "./local";
import { S3Storage } from "./s3";

export interface Storage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  // The same bytes in small chunks, for streaming many files (the export) without holding any whole.
  stream(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  deletePrefix(prefix: string): Promise<void>;
}

export const jobPrefix = (userId: string, jobId: string) => `users/${userId}/jobs/${jobId}/`;

const globalForStorage = globalThis as unknown as { __darkroomStorage?: Storage };

export function createStorage(): Storage {
  const env = getEnv();
  if (env.S3_BUCKET) {
    return new S3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    });
  }
  return new LocalStorage(env.DATA_DIR);
}

export function getStorage(): Storage {
  globalForStorage.__darkroomStorage ??= createStorage();
  return globalForStorage.__darkroomStorage;
}
