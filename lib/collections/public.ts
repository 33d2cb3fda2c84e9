// The public snake_case shape of a collection and of its images: the one
// place a row becomes what a client sees. Owner ids never leave the server.
import type { CollectionRow, JobImageRow } from "@/db/schema";
import { type PublicImage, toPublicImage } from "@/lib/images/public";

export type PublicCollection = {
  collection_id: string;
  name: string;
  description: string;
  position: number;
  image_count: number;
  cover_thumbnail_url: string | null;
  created_at: string;
  updated_at: string;
};

export type PublicCollectionImage = PublicImage & { job_id: string; position: number };

export type CollectionSummary = Omit<CollectionRow, "userId"> & { imageCount: number; coverImageId: string | null };

export function toPublicCollection(row: CollectionSummary): PublicCollection {
  return {
    collection_id: row.id,
    name: row.name,
    description: row.description,
    position: row.position,
    image_count: row.imageCount,
    cover_thumbnail_url: row.coverImageId ? `/api/images/${row.coverImageId}/thumbnail` : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export type CollectionImageRow = Pick<JobImageRow, "id" | "jobId" | "index" | "width" | "height"> & { favourite: boolean; position: number };

export function toPublicCollectionImage(row: CollectionImageRow): PublicCollectionImage {
  return { ...toPublicImage(row), job_id: row.jobId, position: row.position };
}
