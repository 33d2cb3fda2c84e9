// What a request about collections may contain: the zod schemas every
// transport parses with. Ids in the path are checked by the service (a
// malformed id is a missing one); ids in a body are checked here.
import { z } from "zod";
import { MAX_COLLECTION_DESCRIPTION, MAX_COLLECTION_NAME } from "@/db/schema";
import { uuid } from "@/lib/ids";

export const MAX_COLLECTION_POSITION = 1_000_000;
export const MAX_COLLECTION_IMAGES = 1000;

const name = z
  .string({ error: "is required and must be text" })
  .trim()
  .min(1, "must not be empty")
  .max(MAX_COLLECTION_NAME, `must be at most ${MAX_COLLECTION_NAME} characters`);
const description = z.string({ error: "must be text" }).trim().max(MAX_COLLECTION_DESCRIPTION, `must be at most ${MAX_COLLECTION_DESCRIPTION} characters`);
const position = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be at least 0")
  .max(MAX_COLLECTION_POSITION, `must be at most ${MAX_COLLECTION_POSITION}`);

// POST /api/collections
export const createCollectionInput = z.object({ name, description: description.optional() });
export type CreateCollectionInput = z.infer<typeof createCollectionInput>;

// PATCH /api/collections/{id}: rename, describe, move in the list; absent fields stay.
export const updateCollectionInput = z.object({ name: name.optional(), description: description.optional(), position: position.optional() });
export type UpdateCollectionInput = z.infer<typeof updateCollectionInput>;

// POST /api/collections/{id}/images
export const addCollectionImageInput = z.object({ image_id: z.string({ error: "is required and must be an id" }).max(100, "must be an id") });
export type AddCollectionImageInput = z.infer<typeof addCollectionImageInput>;

// PUT /api/collections/{id}/images/order: every image of the collection, in the new order.
export const orderCollectionImagesInput = z.object({
  image_ids: z.array(uuid, { error: "must be a list of image ids" }).max(MAX_COLLECTION_IMAGES, `must list at most ${MAX_COLLECTION_IMAGES} images`),
});
export type OrderCollectionImagesInput = z.infer<typeof orderCollectionImagesInput>;
