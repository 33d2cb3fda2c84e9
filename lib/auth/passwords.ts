// Argon2id password hashing with OWASP's parameters (m=19 MiB, t=2, p=1).
import "server-only";
import { hash, verify } from "@node-rs/argon2";
import { getEnv } from "@/lib/env";
import { UnavailableError } from "@/lib/errors";
import { QueueFullError, Semaphore } from "@/lib/semaphore";

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, unusable under isolatedModules)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Each hash takes a core for tens of milliseconds: a burst of sign-ups or sign-ins
// may use at most PASSWORD_HASH_CONCURRENCY of them, with a short queue behind;
// beyond that the caller is told to retry, and the rest of the app keeps answering.
const HASH_QUEUE = 64;
let gate: Semaphore | undefined;

async function capped<T>(task: () => Promise<T>): Promise<T> {
  gate ??= new Semaphore(getEnv().PASSWORD_HASH_CONCURRENCY, HASH_QUEUE);
  try {
    return await gate.run(task);
  } catch (error) {
    if (error instanceof QueueFullError) throw new UnavailableError("Too busy, retry shortly", 2);
    throw error;
  }
}

export function hashPassword(password: string): Promise<string> {
  return capped(() => hash(password, OPTIONS));
}

// Verified against when the email is unknown, so a wrong email costs the same
// time as a wrong password and response timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hash("darkroom-timing-equaliser", OPTIONS);
    const dummy = await dummyHash;
    await capped(() => verify(dummy, password).catch(() => false));
    return false;
  }
  return capped(() => verify(storedHash, password).catch(() => false));
}
