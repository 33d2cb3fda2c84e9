// Data access for bulk actions on a person's jobs. Every function checks, in
// the same transaction as its change, that every named job is the caller's
// (owner in the WHERE, under RLS) and changes nothing at all otherwise
// ("missing"): a request that names someone else's job acts on nobody's.
import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Tx, withUser } from "@/db/client";
import { collectionImages, collections, favourites, imageJobs, type JobImageRow, type JobRow, jobImages } from "@/db/schema";

type Jobs = { userId: string; jobIds: string[] };

// True when every id names one of the person's jobs; locks them against a concurrent delete.
async function allOwned(tx: Tx, { userId, jobIds }: Jobs): Promise<boolean> {
  const rows = await tx
    .select({ id: imageJobs.id })
    .from(imageJobs)
    .where(and(eq(imageJobs.userId, userId), inArray(imageJobs.id, jobIds)))
    .for("update");
  return rows.length === jobIds.length;
}

const finishedImages = (tx: Tx, { userId, jobIds }: Jobs) =>
  tx
    .select({ id: jobImages.id })
    .from(jobImages)
    .innerJoin(imageJobs, and(eq(imageJobs.id, jobImages.jobId), eq(imageJobs.userId, userId), eq(imageJobs.status, "completed")))
    .where(and(eq(jobImages.userId, userId), inArray(jobImages.jobId, jobIds)));

export async function starJobs(jobs: Jobs, on: boolean): Promise<{ images: number } | "missing"> {
  return withUser(jobs.userId, async (tx) => {
    if (!(await allOwned(tx, jobs))) return "missing";
    const images = (await finishedImages(tx, jobs)).map((r) => r.id);
    if (images.length === 0) return { images: 0 };
    if (on)
      await tx
        .insert(favourites)
        .values(images.map((imageId) => ({ userId: jobs.userId, imageId })))
        .onConflictDoNothing();
    else await tx.delete(favourites).where(and(eq(favourites.userId, jobs.userId), inArray(favourites.imageId, images)));
    return { images: images.length };
  });
}

export type CollectOutcome = { added: number } | "missing" | "no_collection" | "full";

// Adds the jobs' finished images to the end of the collection, in the order given; ones already there stay put.
export async function collectJobs(jobs: Jobs, collectionId: string, limit: number): Promise<CollectOutcome> {
  return withUser(jobs.userId, async (tx) => {
    const [collection] = await tx
      .select({ id: collections.id })
      .from(collections)
      .where(and(eq(collections.userId, jobs.userId), eq(collections.id, collectionId)))
      .for("update");
    if (!collection) return "no_collection";
    if (!(await allOwned(tx, jobs))) return "missing";
    const images = await tx
      .select({ id: jobImages.id, jobId: jobImages.jobId, index: jobImages.index })
      .from(jobImages)
      .innerJoin(imageJobs, and(eq(imageJobs.id, jobImages.jobId), eq(imageJobs.userId, jobs.userId), eq(imageJobs.status, "completed")))
      .where(and(eq(jobImages.userId, jobs.userId), inArray(jobImages.jobId, jobs.jobIds)));
    const order = new Map(jobs.jobIds.map((id, i) => [id, i]));
    images.sort((a, b) => order.get(a.jobId)! - order.get(b.jobId)! || a.index - b.index);
    const current = await tx
      .select({ id: collectionImages.imageId, position: collectionImages.position })
      .from(collectionImages)
      .where(and(eq(collectionImages.userId, jobs.userId), eq(collectionImages.collectionId, collectionId)));
    const present = new Set(current.map((r) => r.id));
    const fresh = images.filter((i) => !present.has(i.id));
    if (current.length + fresh.length > limit) return "full";
    if (fresh.length === 0) return { added: 0 };
    const start = current.reduce((max, r) => Math.max(max, r.position + 1), 0);
    await tx
      .insert(collectionImages)
      .values(fresh.map((image, i) => ({ userId: jobs.userId, collectionId, imageId: image.id, position: start + i })))
      .onConflictDoNothing();
    await tx
      .update(collections)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(collections.userId, jobs.userId), eq(collections.id, collectionId)));
    return { added: fresh.length };
  });
}

// Deletes the rows (images, favourites, collection entries and shares cascade); the caller removes the files.
export async function deleteJobs(jobs: Jobs): Promise<string[] | "missing"> {
  return withUser(jobs.userId, async (tx) => {
    if (!(await allOwned(tx, jobs))) return "missing";
    const rows = await tx
      .delete(imageJobs)
      .where(and(eq(imageJobs.userId, jobs.userId), inArray(imageJobs.id, jobs.jobIds)))
      .returning({ id: imageJobs.id });
    return rows.map((r) => r.id);
  });
}

// The jobs and their images for a download, in the order given; "missing" unless all are the caller's.
export async function jobsForDownload(jobs: Jobs): Promise<{ job: JobRow; images: JobImageRow[] }[] | "missing"> {
  return withUser(jobs.userId, async (tx) => {
    const rows = await tx
      .select()
      .from(imageJobs)
      .where(and(eq(imageJobs.userId, jobs.userId), inArray(imageJobs.id, jobs.jobIds)));
    if (rows.length !== jobs.jobIds.length) return "missing";
    const images = await tx
      .select()
      .from(jobImages)
      .where(and(eq(jobImages.userId, jobs.userId), inArray(jobImages.jobId, jobs.jobIds)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return jobs.jobIds
      .map((id) => byId.get(id)!)
      .filter((job) => job.status === "completed")
      .map((job) => ({ job, images: images.filter((i) => i.jobId === job.id).sort((a, b) => a.index - b.index) }));
  });
}
