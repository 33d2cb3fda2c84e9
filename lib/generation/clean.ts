// Files that carry nothing private: every image is decoded and encoded again
// by sharp before it is stored, whatever the model sent. sharp writes no
// metadata unless asked (no EXIF, XMP, IPTC, ICC text, and for PNG no
// tEXt/iTXt/zTXt/eXIf chunks), so a prompt or a location a provider or a
// camera-like pipeline embedded never reaches storage. The job's parameters
// live in the database; a download adds them only when asked (parameters.ts).
import sharp from "sharp";

// A 4096×4096 RGBA image is 64 MiB decoded; anything claiming more is not a picture we keep.
const MAX_PIXELS = 4096 * 4096;

export async function withoutMetadata(bytes: Uint8Array, contentType: string): Promise<{ bytes: Buffer; contentType: string; width: number; height: number }> {
  // rotate(): an EXIF orientation is applied to the pixels before EXIF is dropped.
  const image = sharp(bytes, { limitInputPixels: MAX_PIXELS }).rotate();
  const encoded =
    contentType === "image/jpeg"
      ? await image.jpeg({ quality: 92 }).toBuffer({ resolveWithObject: true })
      : contentType === "image/webp"
        ? await image.webp({ quality: 92 }).toBuffer({ resolveWithObject: true })
        : await image.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true });
  const type = contentType === "image/jpeg" || contentType === "image/webp" ? contentType : "image/png";
  return { bytes: encoded.data, contentType: type, width: encoded.info.width, height: encoded.info.height };
}
