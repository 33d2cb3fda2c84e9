// Share links: a person shows one of their images or collections to anyone
// holding a link `/s/<token>`. The token is 256 random bits, shown once and
// stored only as a SHA-256 hash. A fast unsalted hash is enough here (unlike a
// password): the token is uniformly random and far too large to guess or to
// precompute, so a stolen table of hashes cannot be reversed; what the hash
// buys is that a database read (a backup, a log of a query) yields no working
// link. Unknown, expired and revoked tokens are one NotFoundError, and so are
// another person's share id and an object that is not the caller's.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { DEFAULT_SHARE_HOURS } from "@/db/schema";
import { recordEvent } from "@/lib/audit/service";
import { collectionNotFound, imageNotFound, shareNotFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getStorage } from "@/lib/storage";
import type { CreateShareInput } from "./input";
import { type PublicShare, type SharedView, toPublicShare } from "./public";
import * as queries from "./queries";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_N = 1000;

export const shareHash = (token: string) => createHash("sha256").update(token).digest("hex");
export const sharePath = (token: string) => `/s/${token}`;

export async function createShare(
  userId: string,
  input: CreateShareInput,
  origin: string,
  address: string | null = null,
): Promise<PublicShare & { url: string }> {
  const objectId = input.image_id ?? input.collection_id!;
  const missing = input.image_id !== undefined ? imageNotFound : collectionNotFound;
  if (!isUuid(objectId)) throw missing();
  const token = randomBytes(32).toString("base64url");
  const row = await queries.insertShare({
    userId,
    tokenHash: shareHash(token),
    imageId: input.image_id?.toLowerCase(),
    collectionId: input.collection_id?.toLowerCase(),
    includeParameters: input.include_parameters ?? false,
    showName: input.show_name ?? false,
    expiresInHours: input.expires_in_hours ?? DEFAULT_SHARE_HOURS,
  });
  if (!row) throw missing();
  await recordEvent(userId, "share_created", { share_id: row.id, kind: row.imageId ? "image" : "collection" }, address);
  return { ...toPublicShare(row), url: `${origin}${sharePath(token)}` };
}

export async function listShares(userId: string): Promise<{ shares: PublicShare[] }> {
  const now = Date.now();
  return { shares: (await queries.listShares({ userId })).map((row) => toPublicShare(row, now)) };
}

export async function revokeShare(userId: string, id: string, address: string | null = null): Promise<void> {
  if (!isUuid(id) || !(await queries.deleteShare({ userId, id: id.toLowerCase() }))) throw shareNotFound();
  await recordEvent(userId, "share_revoked", { share_id: id.toLowerCase() }, address);
}

async function open(token: string, count: boolean, only?: number) {
  if (!TOKEN_PATTERN.test(token)) throw shareNotFound();
  const found = await queries.findLiveShare(shareHash(token));
  if (!found) throw shareNotFound();
  const opened = await queries.openShare({ userId: found.userId, id: found.id, count, only });
  if (!opened) throw shareNotFound();
  return opened;
}

// The anonymous page: counts one view. Nothing of the owner's beyond the shared
// object: no ids, no dates but the link's expiry, the name only if they chose.
export async function viewShare(token: string): Promise<SharedView> {
  const opened = await open(token, true);
  return {
    kind: opened.imageId ? "image" : "collection",
    title: opened.title,
    description: opened.description,
    owner_name: opened.ownerName,
    expires_at: opened.expiresAt.toISOString(),
    images: opened.images.map((image, n) => ({
      n,
      width: image.width,
      height: image.height,
      parameters: opened.includeParameters
        ? { prompt: image.prompt, negative_prompt: image.negativePrompt, style: image.style, model: image.model, seed: image.seed }
        : null,
    })),
  };
}

// The n-th image of a share (or its thumbnail), read from storage. Stored files
// are already clean (lib/generation/clean.ts strips every metadata chunk on the
// way in), and the prompt is never written into a shared file.
export async function readSharedImage(token: string, nText: string, variant: "image" | "thumbnail"): Promise<{ bytes: Buffer; contentType: string }> {
  if (!/^\d{1,4}$/.test(nText) || Number(nText) >= MAX_N) throw shareNotFound();
  const opened = await open(token, false, Number(nText));
  const image = opened.images[0];
  if (!image) throw shareNotFound();
  const bytes = await getStorage().get(variant === "image" ? image.imageKey : image.thumbnailKey);
  if (!bytes) throw shareNotFound();
  return { bytes, contentType: variant === "image" ? image.contentType : "image/webp" };
}
