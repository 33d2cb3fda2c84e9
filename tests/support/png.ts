// PNG chunk lists for tests: what a stored or downloaded file really carries.
import { inflateSync } from "node:zlib";

export type Chunk = { type: string; data: Buffer };

export function pngChunks(bytes: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    chunks.push({ type, data: bytes.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return chunks;
}

// The text of tEXt, zTXt and iTXt chunks by keyword.
export function pngText(bytes: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { type, data } of pngChunks(bytes)) {
    const nul = data.indexOf(0);
    const keyword = data.toString("latin1", 0, nul);
    if (type === "tEXt") out[keyword] = data.toString("latin1", nul + 1);
    if (type === "zTXt") out[keyword] = inflateSync(data.subarray(nul + 2)).toString("latin1");
    if (type === "iTXt") {
      const rest = data.subarray(nul + 3);
      const afterLang = rest.indexOf(0);
      const afterTranslated = rest.indexOf(0, afterLang + 1);
      out[keyword] = rest.subarray(afterTranslated + 1).toString("utf8");
    }
  }
  return out;
}

export const METADATA_CHUNKS = ["tEXt", "iTXt", "zTXt", "eXIf", "iCCP", "tIME"];
