// Starring and unstarring images. `id` is an image's id or, as on every
// /api/images/[id] route, a job's id meaning its first image. Not yours,
// missing, unfinished or malformed: the same NotFoundError, byte for byte.
import "server-only";
import { imageNotFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { findImage } from "@/lib/images/queries";
import { type PublicFavourite, toPublicFavourite } from "./public";
import * as queries from "./queries";

async function resolveImage(userId: string, id: string): Promise<string> {
  if (!isUuid(id)) throw imageNotFound();
  const found = await findImage({ userId, id: id.toLowerCase() });
  if (!found) throw imageNotFound();
  return found.image.id;
}

export async function starImage(userId: string, id: string): Promise<PublicFavourite> {
  const imageId = await resolveImage(userId, id);
  // The image may have been deleted since it was found: then it is missing.
  if (!(await queries.starImage({ userId, imageId }))) throw imageNotFound();
  return toPublicFavourite(imageId, true);
}

export async function unstarImage(userId: string, id: string): Promise<PublicFavourite> {
  const imageId = await resolveImage(userId, id);
  await queries.unstarImage({ userId, imageId });
  return toPublicFavourite(imageId, false);
}
