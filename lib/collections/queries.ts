// Data access for collections and their images. Like every user-owned query:
// each function takes the owner's id, runs inside `withUser` (RLS) and filters
// on user_id in SQL. An image joins a collection only by being read, with the
// collection, inside the same person's transaction (and the composite foreign
// keys of migration 0008 refuse anything else).
import "server-only";
import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { type Tx, withUser } from "@/db/client";
import { collectionImages, collections, favourites, imageJobs, jobImages } from "@/db/schema";
import type { CollectionImageRow, CollectionSummary } from "./public";

type Owned = { userId: string; collectionId: string };

const { userId: _owner, ...publicColumns } = getTableColumns(collections);

const summary = (userId: string) => ({
  ...publicColumns,
  imageCount: sql<number>`(select count(*)::int from ${collectionImages} where ${collectionImages.userId} = ${userId} and ${collectionImages.collectionId} = ${collections.id})`,
  coverImageId: sql<
    string | null
  >`(select ${collectionImages.imageId} from ${collectionImages} where ${collectionImages.userId} = ${userId} and ${collectionImages.collectionId} = ${collections.id} order by ${collectionImages.position}, ${collectionImages.addedAt} limit 1)`,
});

const own = ({ userId, collectionId }: Owned) => and(eq(collections.userId, userId), eq(collections.id, collectionId));

async function lockCollection(tx: Tx, owned: Owned): Promise<boolean> {
  const [row] = await tx.select({ id: collections.id }).from(collections).where(own(owned)).for("update");
  return row !== undefined;
}

export async function listCollections(input: { userId: string }): Promise<CollectionSummary[]> {
  return withUser(input.userId, (tx) =>
    tx
      .select(summary(input.userId))
      .from(collections)
      .where(eq(collections.userId, input.userId))
      .orderBy(asc(collections.position), asc(collections.createdAt)),
  );
}

export async function findCollection(owned: Owned): Promise<CollectionSummary | undefined> {
  return withUser(owned.userId, async (tx) => (await tx.select(summary(owned.userId)).from(collections).where(own(owned)))[0]);
}

// A new collection goes to the end of the person's list.
export async function insertCollection(input: { userId: string; name: string; description: string }): Promise<string> {
  return withUser(input.userId, async (tx) => {
    const [row] = await tx
      .insert(collections)
      .values({
        ...input,
        position: sql`(select coalesce(max(${collections.position}) + 1, 0) from ${collections} where ${collections.userId} = ${input.userId})`,
      })
      .returning({ id: collections.id });
    return row!.id;
  });
}

export async function updateCollection(owned: Owned, patch: { name?: string; description?: string; position?: number }): Promise<boolean> {
  return withUser(owned.userId, async (tx) => {
    const rows = await tx
      .update(collections)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(own(owned))
      .returning({ id: collections.id });
    return rows.length === 1;
  });
}

// The images stay: only the collection and its membership rows go (cascade).
export async function deleteCollection(owned: Owned): Promise<boolean> {
  return withUser(owned.userId, async (tx) => (await tx.delete(collections).where(own(owned)).returning({ id: collections.id })).length === 1);
}

export async function listCollectionImages(owned: Owned): Promise<CollectionImageRow[]> {
  return withUser(owned.userId, (tx) =>
    tx
      .select({
        id: jobImages.id,
        jobId: jobImages.jobId,
        index: jobImages.index,
        width: jobImages.width,
        height: jobImages.height,
        position: collectionImages.position,
        favourite: sql<boolean>`exists (select 1 from ${favourites} where ${favourites.userId} = ${owned.userId} and ${favourites.imageId} = ${jobImages.id})`,
      })
      .from(collectionImages)
      .innerJoin(jobImages, and(eq(jobImages.id, collectionImages.imageId), eq(jobImages.userId, owned.userId)))
      .where(and(eq(collectionImages.userId, owned.userId), eq(collectionImages.collectionId, owned.collectionId)))
      .orderBy(asc(collectionImages.position), asc(collectionImages.addedAt)),
  );
}

export type AddOutcome = "added" | "already" | "full" | "no_collection" | "no_image";

// The image must be one of the person's finished images; it goes to the end.
// `limit` bounds a collection, so reading one (which is not paged) stays bounded.
export async function addImage(owned: Owned, imageId: string, limit: number): Promise<AddOutcome> {
  return withUser(owned.userId, async (tx) => {
    if (!(await lockCollection(tx, owned))) return "no_collection";
    const [image] = await tx
      .select({ id: jobImages.id })
      .from(jobImages)
      .innerJoin(imageJobs, and(eq(imageJobs.id, jobImages.jobId), eq(imageJobs.userId, owned.userId)))
      .where(and(eq(jobImages.userId, owned.userId), eq(jobImages.id, imageId), eq(imageJobs.status, "completed")));
    if (!image) return "no_image";
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(collectionImages)
      .where(and(eq(collectionImages.userId, owned.userId), eq(collectionImages.collectionId, owned.collectionId)));
    if (n >= limit) return "full";
    const rows = await tx
      .insert(collectionImages)
      .values({
        userId: owned.userId,
        collectionId: owned.collectionId,
        imageId: image.id,
        position: sql`(select coalesce(max(${collectionImages.position}) + 1, 0) from ${collectionImages} where ${collectionImages.userId} = ${owned.userId} and ${collectionImages.collectionId} = ${owned.collectionId})`,
      })
      .onConflictDoNothing()
      .returning({ id: collectionImages.imageId });
    await touch(tx, owned);
    return rows.length === 1 ? "added" : "already";
  });
}

export type RemoveOutcome = "removed" | "no_collection" | "no_image";

export async function removeImage(owned: Owned, imageId: string): Promise<RemoveOutcome> {
  return withUser(owned.userId, async (tx) => {
    if (!(await lockCollection(tx, owned))) return "no_collection";
    const rows = await tx
      .delete(collectionImages)
      .where(and(eq(collectionImages.userId, owned.userId), eq(collectionImages.collectionId, owned.collectionId), eq(collectionImages.imageId, imageId)))
      .returning({ id: collectionImages.imageId });
    if (rows.length === 0) return "no_image";
    await touch(tx, owned);
    return "removed";
  });
}

export type OrderOutcome = "ordered" | "no_collection" | "mismatch";

// `imageIds` must be exactly the collection's images (no more, no fewer, no repeats).
export async function orderImages(owned: Owned, imageIds: string[]): Promise<OrderOutcome> {
  return withUser(owned.userId, async (tx) => {
    if (!(await lockCollection(tx, owned))) return "no_collection";
    const current = await tx
      .select({ id: collectionImages.imageId })
      .from(collectionImages)
      .where(and(eq(collectionImages.userId, owned.userId), eq(collectionImages.collectionId, owned.collectionId)));
    const wanted = new Set(imageIds);
    if (wanted.size !== imageIds.length || current.length !== imageIds.length || current.some((r) => !wanted.has(r.id))) return "mismatch";
    if (imageIds.length > 0) {
      const cases = sql.join(
        imageIds.map((id, i) => sql`when ${id}::uuid then ${i}::int`),
        sql` `,
      );
      await tx
        .update(collectionImages)
        .set({ position: sql`case ${collectionImages.imageId} ${cases} end` })
        .where(
          and(eq(collectionImages.userId, owned.userId), eq(collectionImages.collectionId, owned.collectionId), inArray(collectionImages.imageId, imageIds)),
        );
    }
    await touch(tx, owned);
    return "ordered";
  });
}

const touch = (tx: Tx, owned: Owned) => tx.update(collections).set({ updatedAt: sql`now()` }).where(own(owned));
