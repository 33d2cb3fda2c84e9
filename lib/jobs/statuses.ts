// A job's life: queued → processing → completed | failed (the full list is
// `jobStatuses` in db/schema.ts). "Unfinished" is the one definition used by
// the limits, failing, resuming and the admin counts. Only a type import from
// db/, so the browser may import this module too.
import type { JobRow } from "@/db/schema";

export type JobStatus = JobRow["status"];

// db/schema.ts spells the same pair in SQL (the partial index and the worker
// policy); it cannot import lib/.
export const UNFINISHED_STATUSES = ["queued", "processing"] as const satisfies readonly JobStatus[];
export const isUnfinished = (status: string): boolean => (UNFINISHED_STATUSES as readonly string[]).includes(status);
