// Where image files live. Keys are namespaced per owner
// (`users/<userId>/jobs/<jobId>/...`) and files are only ever served through
// the owner-checked /api/images routes, never from a public folder or bucket.
// S3_BUCKET selects S3-compatible storage; otherwise files go under DATA_DIR.
import "server-only";
import { getEnv } from "@/lib/env";
import { LocalStorage } from "./local";
import type { S3Settings } from "./s3";

export interface Storage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  // The same bytes in small chunks, for streaming many files (the export) without holding any whole.
  stream(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  // One file; a missing one is not an error.
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
}

export const jobPrefix = (userId: string, jobId: string) => `users/${userId}/jobs/${jobId}/`;

const globalForStorage = globalThis as unknown as { __darkroomStorage?: Storage };

// The S3 client (the AWS SDK, tens of megabytes once loaded) is imported on
// first use and only when S3 is configured: a server on local files never loads it.
function lazyS3(settings: S3Settings): Storage {
  let loaded: Promise<Storage> | undefined;
  const storage = () => {
    loaded ??= import("./s3").then(({ S3Storage }) => new S3Storage(settings));
    return loaded;
  };
  return {
    put: async (key, bytes, contentType) => (await storage()).put(key, bytes, contentType),
    get: async (key) => (await storage()).get(key),
    stream: async (key) => (await storage()).stream(key),
    delete: async (key) => (await storage()).delete(key),
    deletePrefix: async (prefix) => (await storage()).deletePrefix(prefix),
  };
}

export function createStorage(): Storage {
  const env = getEnv();
  if (env.S3_BUCKET) {
    return lazyS3({
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
