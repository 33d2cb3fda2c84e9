// Data access for the images of jobs. Like every user-owned query: the owner's
// id in `withUser` (RLS) and in the WHERE. An image is served only while its
// job is completed and the caller's; there is no way to read one by id alone.
import "server-only";
import { and, eq, getTableColumns, inArray, or, type SQLWrapper, sql } from "drizzle-orm";
import { readAsUser, type Tx, withUser } from "@/db/client";
import { favourites, imageJobs, type JobImageRow, type JobRow, jobImages } from "@/db/schema";

export type ImageWithFavourite = JobImageRow & { favourite: boolean };

// The images of some of this person's jobs (a page of the job list, or one job),
// each with whether this person starred it. The statement alone, for a caller
// that sends it with others in one scope (lib/jobs/queries.ts `findJobWithImages`).
// `jobIds`: a list, or a statement that selects them (one column, the job id).
export const imagesOfJobsQuery = (tx: Tx, input: { userId: string | SQLWrapper; jobIds: string[] | SQLWrapper }) =>
  tx
    .select({
      ...getTableColumns(jobImages),
      favourite: sql<boolean>`exists (select 1 from ${favourites} where ${favourites.userId} = ${input.userId} and ${favourites.imageId} = ${jobImages.id})`,
    })
    .from(jobImages)
    .where(and(eq(jobImages.userId, input.userId), inArray(jobImages.jobId, input.jobIds)));

export async function listImagesOfJobs(input: { userId: string; jobIds: string[] }): Promise<ImageWithFavourite[]> {
  if (input.jobIds.length === 0) return [];
  const [rows] = await readAsUser(input.userId, (tx) => [imagesOfJobsQuery(tx, input)]);
  return rows;
}

// `id` is an image's id, or (as before images had their own) a job's id meaning its image 0.
// Both ids are random UUIDs from the same generator, so the two cannot collide.
export async function findImage(input: { userId: string; id: string }): Promise<{ image: JobImageRow; job: JobRow } | undefined> {
  return withUser(input.userId, async (tx) => {
    const [row] = await tx
      .select({ image: jobImages, job: imageJobs })
      .from(jobImages)
      .innerJoin(imageJobs, and(eq(imageJobs.id, jobImages.jobId), eq(imageJobs.userId, input.userId)))
      .where(
        and(
          eq(jobImages.userId, input.userId),
          eq(imageJobs.status, "completed"),
          or(eq(jobImages.id, input.id), and(eq(jobImages.jobId, input.id), eq(jobImages.index, 0))),
        ),
      )
      .limit(1);
    return row;
  });
}
