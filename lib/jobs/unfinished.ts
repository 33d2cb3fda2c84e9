// The only cross-user read in the app: which people have unfinished jobs, so
// the embedded runner can resume them after a restart. It runs as
// `darkroom_worker`, which may read just ids, owners and status (column grants).
import "server-only";
import { inArray } from "drizzle-orm";
import { asWorker } from "@/db/client";
import { imageJobs } from "@/db/schema";
import { UNFINISHED_STATUSES } from "./statuses";

export async function ownersWithUnfinishedJobs(): Promise<string[]> {
  return asWorker(async (tx) => {
    const rows = await tx.selectDistinct({ userId: imageJobs.userId }).from(imageJobs).where(inArray(imageJobs.status, UNFINISHED_STATUSES));
    return rows.map((r) => r.userId);
  });
}
