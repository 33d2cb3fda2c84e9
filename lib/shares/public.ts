// The public shapes of share links: the owner's view (GET /api/shares) and
// what an anonymous holder of a link sees. The one place a row becomes either;
// token hashes, owner ids and storage keys never leave the server.
import type { ShareRow } from "@/db/schema";

export type PublicShare = {
  share_id: string;
  kind: "image" | "collection";
  image_id: string | null;
  collection_id: string | null;
  // The collection's name or the image's job prompt is not repeated here: the owner knows them.
  include_parameters: boolean;
  show_name: boolean;
  view_count: number;
  created_at: string;
  expires_at: string;
  expired: boolean;
};

export type ShareListRow = Omit<ShareRow, "userId" | "tokenHash">;

export function toPublicShare(row: ShareListRow, now = Date.now()): PublicShare {
  return {
    share_id: row.id,
    kind: row.imageId ? "image" : "collection",
    image_id: row.imageId,
    collection_id: row.collectionId,
    include_parameters: row.includeParameters,
    show_name: row.showName,
    view_count: row.viewCount,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    expired: row.expiresAt.getTime() <= now,
  };
}

// One image as the anonymous viewer sees it: addressed by its place in the
// share (0, 1, …), never by its id; settings only when the owner opted in.
export type SharedImage = {
  n: number;
  width: number;
  height: number;
  parameters: { prompt: string; negative_prompt: string | null; style: string; model: string; seed: number | null } | null;
};

export type SharedView = {
  kind: "image" | "collection";
  title: string | null;
  description: string | null;
  owner_name: string | null;
  expires_at: string;
  images: SharedImage[];
};
