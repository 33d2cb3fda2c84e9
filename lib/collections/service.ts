// The rules around collections: named, described, ordered sets of a person's
// own images. Another person's collection, a missing one and a malformed id
// are the same NotFoundError; so are another person's image and a missing one.
//
// Routes that take a body pass it as `read`, a function the service calls only
// after the collection is found: whatever the body, another person's
// collection answers exactly like a missing one, never with a 400 about fields.
import "server-only";
import { ConflictError, collectionNotFound, InvalidInputError, imageNotFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import {
  type AddCollectionImageInput,
  type CreateCollectionInput,
  MAX_COLLECTION_IMAGES,
  type OrderCollectionImagesInput,
  type UpdateCollectionInput,
} from "./input";
import { type PublicCollection, type PublicCollectionImage, toPublicCollection, toPublicCollectionImage } from "./public";
import * as queries from "./queries";

type Read<T> = () => Promise<T>;

function collectionRef(userId: string, collectionId: string) {
  if (!isUuid(collectionId)) throw collectionNotFound();
  return { userId, collectionId: collectionId.toLowerCase() };
}

async function found(ref: { userId: string; collectionId: string }): Promise<PublicCollection> {
  const row = await queries.findCollection(ref);
  if (!row) throw collectionNotFound();
  return toPublicCollection(row);
}

export async function listCollections(userId: string): Promise<{ collections: PublicCollection[] }> {
  return { collections: (await queries.listCollections({ userId })).map(toPublicCollection) };
}

export async function createCollection(userId: string, input: CreateCollectionInput): Promise<PublicCollection> {
  const id = await queries.insertCollection({ userId, name: input.name, description: input.description ?? "" });
  return found({ userId, collectionId: id });
}

export async function getCollection(userId: string, collectionId: string): Promise<PublicCollection & { images: PublicCollectionImage[] }> {
  const ref = collectionRef(userId, collectionId);
  const collection = await found(ref);
  const images = await queries.listCollectionImages(ref);
  return { ...collection, images: images.map(toPublicCollectionImage) };
}

export async function updateCollection(userId: string, collectionId: string, read: Read<UpdateCollectionInput>): Promise<PublicCollection> {
  const ref = collectionRef(userId, collectionId);
  await found(ref);
  const input = await read();
  if (!(await queries.updateCollection(ref, input))) throw collectionNotFound();
  return found(ref);
}

export async function deleteCollection(userId: string, collectionId: string): Promise<void> {
  if (!(await queries.deleteCollection(collectionRef(userId, collectionId)))) throw collectionNotFound();
}

export async function addImage(
  userId: string,
  collectionId: string,
  read: Read<AddCollectionImageInput>,
): Promise<{ added: boolean; collection: PublicCollection }> {
  const ref = collectionRef(userId, collectionId);
  await found(ref);
  const { image_id } = await read();
  // Someone else's image, a missing one and a malformed id: the same answer.
  if (!isUuid(image_id)) throw imageNotFound();
  const outcome = await queries.addImage(ref, image_id.toLowerCase(), MAX_COLLECTION_IMAGES);
  if (outcome === "no_collection") throw collectionNotFound();
  if (outcome === "no_image") throw imageNotFound();
  // Only the caller's own image in their own collection gets this far.
  if (outcome === "full") throw new ConflictError(`A collection holds at most ${MAX_COLLECTION_IMAGES} images`);
  return { added: outcome === "added", collection: await found(ref) };
}

export async function removeImage(userId: string, collectionId: string, imageId: string): Promise<void> {
  const ref = collectionRef(userId, collectionId);
  if (!isUuid(imageId)) {
    await found(ref);
    throw imageNotFound();
  }
  const outcome = await queries.removeImage(ref, imageId.toLowerCase());
  if (outcome === "no_collection") throw collectionNotFound();
  if (outcome === "no_image") throw imageNotFound();
}

export async function orderImages(userId: string, collectionId: string, read: Read<OrderCollectionImagesInput>): Promise<PublicCollection> {
  const ref = collectionRef(userId, collectionId);
  await found(ref);
  const { image_ids } = await read();
  const outcome = await queries.orderImages(
    ref,
    image_ids.map((id) => id.toLowerCase()),
  );
  if (outcome === "no_collection") throw collectionNotFound();
  if (outcome === "mismatch") throw new InvalidInputError("image_ids", "must list every image of the collection exactly once");
  return found(ref);
}
