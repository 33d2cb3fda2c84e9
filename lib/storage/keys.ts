// Storage keys are built by the server (`users/<userId>/jobs/<jobId>/...`),
// but every backend checks them anyway: a key must not escape its namespace,
// and a prefix delete must never be wide enough to reach another person's files.
import { UUID_SOURCE as UUID } from "@/lib/ids";

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
// The widest prefix anyone may delete is one job's folder (or, for account removal, one user's).
const DELETABLE_PREFIX = new RegExp(`^users/${UUID}/(jobs/${UUID}/)?$`, "i");

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.length > 1024 || key.split("/").some((part) => part === ".." || part === ".")) throw new Error("unsafe storage key");
}

export function assertSafePrefix(prefix: string): void {
  if (!DELETABLE_PREFIX.test(prefix)) throw new Error("unsafe storage prefix");
}
