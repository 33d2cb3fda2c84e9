// The public shape of one image of a job. Storage keys and owner ids never
// leave the server; each image is addressed by its own id.
import type { JobImageRow } from "@/db/schema";

export type PublicImage = { image_id: string; index: number; url: string; thumbnail_url: string; width: number; height: number; favourite: boolean };

// `favourite`: whether the caller starred it, when the query asked (false otherwise).
export function toPublicImage(row: Pick<JobImageRow, "id" | "index" | "width" | "height"> & { favourite?: boolean }): PublicImage {
  return {
    image_id: row.id,
    index: row.index,
    url: `/api/images/${row.id}`,
    thumbnail_url: `/api/images/${row.id}/thumbnail`,
    width: row.width,
    height: row.height,
    favourite: row.favourite ?? false,
  };
}
