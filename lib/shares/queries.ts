// Data access for share links. Like every user-owned table: each function on a
// person's shares takes the owner's id, runs inside `withUser` (RLS) and filters
// on user_id. The one exception is `findLiveShare`, which runs before anyone is
// known (an anonymous link holder) and goes only through `darkroom_share_lookup`
// (migration 0011): a live share's id and owner for a token hash, nothing else.
// What the link shows is then read in the owner's own scope, like an API key's
// account is.
import "server-only";
import { and, asc, desc, eq, getTableColumns, gt, sql } from "drizzle-orm";
import { asApp, type Tx, withUser } from "@/db/client";
import { auditEvents, collectionImages, collections, imageJobs, jobImages, shares, users } from "@/db/schema";
import type { ShareListRow } from "./public";

const { userId: _owner, tokenHash: _hash, ...listColumns } = getTableColumns(shares);

type NewShare = {
  userId: string;
  tokenHash: string;
  imageId?: string;
  collectionId?: string;
  includeParameters: boolean;
  showName: boolean;
  expiresInHours: number;
};

// The object must be the person's own: a finished image, or a collection. Null
// (nothing written) when it is missing or someone else's; the composite foreign
// keys of migration 0011 refuse the second even if this check were wrong.
export async function insertShare(input: NewShare): Promise<ShareListRow | null> {
  return insertOwnShare(input).catch((error) => {
    // 23503: foreign_key_violation (drizzle puts PostgreSQL's error in `cause`).
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code === "23503") return null;
    throw error;
  });
}

async function insertOwnShare(input: NewShare): Promise<ShareListRow | null> {
  return withUser(input.userId, async (tx) => {
    if (input.imageId) {
      const [image] = await tx
        .select({ id: jobImages.id })
        .from(jobImages)
        .innerJoin(imageJobs, and(eq(imageJobs.id, jobImages.jobId), eq(imageJobs.userId, input.userId)))
        .where(and(eq(jobImages.userId, input.userId), eq(jobImages.id, input.imageId), eq(imageJobs.status, "completed")));
      if (!image) return null;
    } else {
      const [collection] = await tx
        .select({ id: collections.id })
        .from(collections)
        .where(and(eq(collections.userId, input.userId), eq(collections.id, input.collectionId!)));
      if (!collection) return null;
    }
    // The object may be deleted between this check and the insert: then the
    // foreign key refuses the row and the caller hears "missing" (insertShare's catch).
    const [row] = await tx
      .insert(shares)
      .values({
        userId: input.userId,
        tokenHash: input.tokenHash,
        imageId: input.imageId ?? null,
        collectionId: input.collectionId ?? null,
        includeParameters: input.includeParameters,
        showName: input.showName,
        expiresAt: sql`now() + make_interval(hours => ${input.expiresInHours}::int)`,
      })
      .returning(listColumns);
    return row ?? null;
  });
}

export async function listShares(input: { userId: string }): Promise<ShareListRow[]> {
  return withUser(input.userId, (tx) => tx.select(listColumns).from(shares).where(eq(shares.userId, input.userId)).orderBy(desc(shares.createdAt)));
}

// Revoking deletes the row: the token then matches nothing, at once.
export async function deleteShare(input: { userId: string; id: string }): Promise<boolean> {
  return withUser(input.userId, async (tx) => {
    const rows = await tx
      .delete(shares)
      .where(and(eq(shares.userId, input.userId), eq(shares.id, input.id)))
      .returning({ id: shares.id });
    return rows.length === 1;
  });
}

export async function findLiveShare(tokenHash: string): Promise<{ id: string; userId: string } | undefined> {
  const rows = await asApp((tx) => tx.execute<{ id: string; user_id: string }>(sql`select id, user_id from darkroom_share_lookup(${tokenHash})`));
  const row = rows[0];
  return row ? { id: row.id, userId: row.user_id } : undefined;
}

export type SharedImageRow = {
  imageKey: string;
  thumbnailKey: string;
  contentType: string;
  width: number;
  height: number;
  prompt: string;
  negativePrompt: string | null;
  style: string;
  model: string;
  seed: number | null;
  index: number;
};

export type OpenedShare = {
  id: string;
  imageId: string | null;
  includeParameters: boolean;
  expiresAt: Date;
  title: string | null;
  description: string | null;
  ownerName: string | null;
  images: SharedImageRow[];
};

const imageColumns = {
  imageKey: jobImages.imageKey,
  thumbnailKey: jobImages.thumbnailKey,
  contentType: jobImages.contentType,
  width: jobImages.width,
  height: jobImages.height,
  prompt: imageJobs.prompt,
  negativePrompt: imageJobs.negativePrompt,
  style: imageJobs.style,
  model: imageJobs.model,
  seed: sql<number | null>`${imageJobs.seed} + ${jobImages.index}`,
  index: jobImages.index,
};

// `only`: just the n-th image (for the image routes); otherwise every image, in order.
async function sharedImages(tx: Tx, userId: string, share: { imageId: string | null; collectionId: string | null }, only?: number) {
  const completed = and(eq(imageJobs.id, jobImages.jobId), eq(imageJobs.userId, userId), eq(imageJobs.status, "completed"));
  if (share.imageId) {
    if (only !== undefined && only !== 0) return [];
    return tx
      .select(imageColumns)
      .from(jobImages)
      .innerJoin(imageJobs, completed)
      .where(and(eq(jobImages.userId, userId), eq(jobImages.id, share.imageId)));
  }
  const query = tx
    .select(imageColumns)
    .from(collectionImages)
    .innerJoin(jobImages, and(eq(jobImages.id, collectionImages.imageId), eq(jobImages.userId, userId)))
    .innerJoin(imageJobs, completed)
    .where(and(eq(collectionImages.userId, userId), eq(collectionImages.collectionId, share.collectionId!)))
    .orderBy(asc(collectionImages.position), asc(collectionImages.addedAt));
  return only === undefined ? query : query.limit(1).offset(only);
}

// Opens a live share in its owner's scope. A page view (`count`) adds one to the
// share's count and writes `share_viewed` to the owner's activity log in the same
// transaction, with the time only: no address, agent or referrer of the viewer.
export async function openShare(input: { userId: string; id: string; count: boolean; only?: number }): Promise<OpenedShare | undefined> {
  return withUser(input.userId, async (tx) => {
    const live = and(eq(shares.userId, input.userId), eq(shares.id, input.id), gt(shares.expiresAt, sql`now()`));
    const [share] = input.count
      ? await tx
          .update(shares)
          .set({ viewCount: sql`${shares.viewCount} + 1` })
          .where(live)
          .returning(listColumns)
      : await tx.select(listColumns).from(shares).where(live);
    if (!share) return undefined;
    if (input.count) await tx.insert(auditEvents).values({ userId: input.userId, event: "share_viewed", detail: { share_id: share.id }, ip: null });
    let title: string | null = null;
    let description: string | null = null;
    if (share.collectionId) {
      const [collection] = await tx
        .select({ name: collections.name, description: collections.description })
        .from(collections)
        .where(and(eq(collections.userId, input.userId), eq(collections.id, share.collectionId)));
      if (!collection) return undefined;
      title = collection.name;
      description = collection.description || null;
    }
    let ownerName: string | null = null;
    if (share.showName) {
      const [owner] = await tx.select({ name: users.name }).from(users).where(eq(users.id, input.userId));
      ownerName = owner?.name ?? null;
    }
    const images = await sharedImages(tx, input.userId, share, input.only);
    return {
      id: share.id,
      imageId: share.imageId,
      includeParameters: share.includeParameters,
      expiresAt: share.expiresAt,
      title,
      description,
      ownerName,
      images,
    };
  });
}
