// Files that carry nothing private: every image is decoded and encoded again
// by sharp before it is stored, whatever the model sent. sharp writes no
// metadata unless asked (no EXIF, XMP, IPTC, ICC text, and for PNG no
// tEXt/iTXt/zTXt/eXIf chunks), so a prompt or a location a provider or a
// camera-like pipeline embedded never reaches storage. The job's parameters
// live in the database; a download adds them only when asked (parameters.ts).
import { crc32 } from "node:zlib";
import sharp from "sharp";

// A 4096×4096 RGBA image is 64 MiB decoded; anything claiming more is not a picture we keep.
const MAX_PIXELS = 4096 * 4096;

type Cleaned = { bytes: Buffer; contentType: string; width: number; height: number };

// PNG chunks that cannot carry text or metadata: the image itself and how to
// show its colours. Anything else (tEXt, iTXt, zTXt, eXIf, iCCP with its
// profile name, tIME, private chunks, …) sends the file through sharp.
const PLAIN_PNG_CHUNKS = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "pHYs"]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A PNG that already holds nothing but pixels (as the offline renderer and
// most providers send) is kept byte for byte: decoding and encoding it again
// would cost as much as drawing it and change nothing. It must be exactly
// that: the signature, well-formed chunks with correct CRCs, only plain
// chunks, IHDR first, IEND last with nothing after it, and within MAX_PIXELS.
export function plainPng(bytes: Uint8Array): { width: number; height: number } | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 8 + 25 + 12 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  let offset = 8;
  let size: { width: number; height: number } | null = null;
  while (offset + 12 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > data.length || !PLAIN_PNG_CHUNKS.has(type)) return null;
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) !== data.readUInt32BE(offset + 8 + length)) return null;
    if (offset === 8) {
      if (type !== "IHDR" || length !== 13) return null;
      size = { width: data.readUInt32BE(offset + 8), height: data.readUInt32BE(offset + 12) };
      if (size.width === 0 || size.height === 0 || size.width * size.height > MAX_PIXELS) return null;
    } else if (type === "IHDR") {
      return null;
    }
    offset = end;
    if (type === "IEND") return offset === data.length ? size : null;
  }
  return null;
}

export async function withoutMetadata(bytes: Uint8Array, contentType: string): Promise<Cleaned> {
  if (contentType === "image/png") {
    const plain = plainPng(bytes);
    if (plain) return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType, ...plain };
  }
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
