// What every model hands the workflow: PNG, JPEG or WebP with its real size.
import "server-only";
import sharp from "sharp";
import { type GeneratedImage, GenerationError } from "./types";

const STORED_TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);
// A 4096×4096 RGBA image is 64 MiB decoded; anything claiming more is not a picture we keep.
const MAX_PIXELS = 4096 * 4096;

// Reads the real dimensions from the bytes (providers do not report them) and
// stores only PNG, JPEG or WebP; anything else is converted to PNG.
export async function normalise(bytes: Uint8Array, label: string): Promise<GeneratedImage> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
    const contentType = `image/${meta.format}`;
    if (STORED_TYPES.has(contentType) && meta.width && meta.height) return { bytes, contentType, width: meta.width, height: meta.height };
    const png = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).png().toBuffer({ resolveWithObject: true });
    return { bytes: png.data, contentType: "image/png", width: png.info.width, height: png.info.height };
  } catch {
    throw new GenerationError(`${label.charAt(0).toUpperCase()}${label.slice(1)} returned data that is not a readable image`, { retryable: true });
  }
}
