// Where image files live. Keys are namespaced per owner
// (`users/<userId>/jobs/<jobId>/...`) and files are only ever served through
// the owner-checked /api/images routes, never from a public folder.
import "server-only";
import { getEnv } from "@/lib/env";
import { LocalStorage } from "./local";

export interface Storage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  deletePrefix(prefix: string): Promise<void>;
}

export const jobPrefix = (userId: string, jobId: string) => `users/${userId}/jobs/${jobId}/`;

const globalForStorage = globalThis as unknown as { __darkroomStorage?: Storage };

export function getStorage(): Storage {
  globalForStorage.__darkroomStorage ??= new LocalStorage(getEnv().DATA_DIR);
  return globalForStorage.__darkroomStorage;
}
