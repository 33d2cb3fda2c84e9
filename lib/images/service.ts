// Reading the images of jobs. `id` may be an image's id or, as before images
// had their own ids, a job's id meaning its image 0. Not yours, missing,
// unfinished or malformed: all the same NotFoundError, before or after a query.
import "server-only";
import { jobNotFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getStorage } from "@/lib/storage";
import { findImage } from "./queries";

export type ImageFile = { bytes: Buffer; contentType: string; filename: string };

const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

export async function readImage(userId: string, id: string, variant: "image" | "thumbnail") {
  if (!isUuid(id)) throw jobNotFound();
  const found = await findImage({ userId, id: id.toLowerCase() });
  if (!found) throw jobNotFound();
  const { image, job } = found;
  const bytes = await getStorage().get(variant === "image" ? image.imageKey : image.thumbnailKey);
  if (!bytes) throw jobNotFound();
  const name = `darkroom-${job.id}${image.index === 0 ? "" : `-${image.index + 1}`}`;
  const file: ImageFile =
    variant === "image"
      ? { bytes, contentType: image.contentType, filename: `${name}.${EXTENSIONS[image.contentType] ?? "img"}` }
      : { bytes, contentType: "image/webp", filename: `${name}.webp` };
  return { file, image, job };
}
