// Reading and writing PNG chunks, for the one place Darkroom adds metadata on
// purpose: the `parameters` text chunk of an opted-in download. Stored files
// never carry any (lib/generation/clean.ts).
import { crc32 } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Buffer): boolean {
  return bytes.length > 8 && bytes.subarray(0, 8).equals(SIGNATURE);
}

export function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

// A tEXt chunk holds Latin-1 only; anything else (a prompt in Japanese, an
// emoji) goes in an uncompressed iTXt chunk as UTF-8, as AUTOMATIC1111 does.
export function textChunk(keyword: string, text: string): Buffer {
  const latin1 = /^[\x20-\x7e\xa0-\xff\n]*$/.test(text);
  if (latin1) return chunk("tEXt", Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.from([0]), Buffer.from(text, "latin1")]));
  return chunk("iTXt", Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, "utf8")]));
}

// Inserts chunks right after IHDR (the first chunk), where readers look first.
export function insertAfterHeader(png: Buffer, chunks: Buffer[]): Buffer {
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}
