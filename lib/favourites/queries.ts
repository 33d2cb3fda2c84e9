// Data access for favourites (starred images). Like every user-owned query:
// the owner's id in `withUser` (RLS) and in the WHERE. A star is written by
// selecting the image inside the person's own transaction, so only their own
// image can ever be starred (and the composite foreign key says so too).
import "server-only";
import { and, eq } from "drizzle-orm";
import { withUser } from "@/db/client";
import { favourites, jobImages } from "@/db/schema";

// True when the image is the caller's (starred now or already).
export async function starImage(input: { userId: string; imageId: string }): Promise<boolean> {
  return withUser(input.userId, async (tx) => {
    const [image] = await tx
      .select({ id: jobImages.id })
      .from(jobImages)
      .where(and(eq(jobImages.userId, input.userId), eq(jobImages.id, input.imageId)));
    if (!image) return false;
    await tx.insert(favourites).values({ userId: input.userId, imageId: image.id }).onConflictDoNothing();
    return true;
  });
}

export async function unstarImage(input: { userId: string; imageId: string }): Promise<void> {
  await withUser(input.userId, (tx) => tx.delete(favourites).where(and(eq(favourites.userId, input.userId), eq(favourites.imageId, input.imageId))));
}
