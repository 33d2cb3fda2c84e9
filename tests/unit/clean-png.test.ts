// Stored images carry no metadata: a PNG that holds nothing but pixels is kept
// byte for byte (no second encode), anything else goes through sharp and loses
// its text, EXIF and private chunks.
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { plainPng, withoutMetadata } from "@/lib/generation/clean";

const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
};

// Inserts a chunk right after IHDR (8-byte signature + 25-byte IHDR chunk).
const withChunk = (png: Buffer, extra: Buffer) => Buffer.concat([png.subarray(0, 33), extra, png.subarray(33)]);

const plain = async () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: "#336699" } })
    .png()
    .toBuffer();

describe("plainPng", () => {
  it("keeps a PNG of pixels only, with its size", async () => {
    expect(plainPng(await plain())).toEqual({ width: 40, height: 30 });
  });

  it.each([
    ["a tEXt chunk", (png: Buffer) => withChunk(png, chunk("tEXt", Buffer.from("prompt\0a secret prompt", "latin1")))],
    ["an iTXt chunk", (png: Buffer) => withChunk(png, chunk("iTXt", Buffer.from("parameters\0\0\0\0\0secret", "latin1")))],
    ["an eXIf chunk", (png: Buffer) => withChunk(png, chunk("eXIf", Buffer.from("MM\0*secret", "latin1")))],
    ["a private chunk", (png: Buffer) => withChunk(png, chunk("prVt", Buffer.from("secret", "latin1")))],
    ["bytes after IEND", (png: Buffer) => Buffer.concat([png, Buffer.from("secret")])],
    ["a broken CRC", (png: Buffer) => Buffer.from(png.map((b, i) => (i === 29 ? b ^ 1 : b)))],
    ["no PNG signature", (png: Buffer) => Buffer.from(png.map((b, i) => (i === 1 ? 0 : b)))],
    ["a cut-off file", (png: Buffer) => png.subarray(0, png.length - 4)],
  ])("sends a PNG with %s through sharp", async (_label, edit) => {
    expect(plainPng(edit(await plain()))).toBeNull();
  });
});

describe("withoutMetadata", () => {
  it("stores a plain PNG unchanged", async () => {
    const png = await plain();
    const cleaned = await withoutMetadata(png, "image/png");
    expect(cleaned.bytes.equals(png)).toBe(true);
    expect(cleaned).toMatchObject({ contentType: "image/png", width: 40, height: 30 });
  });

  it("re-encodes a PNG with text chunks, and the text is gone", async () => {
    const png = withChunk(await plain(), chunk("tEXt", Buffer.from("prompt\0a secret prompt", "latin1")));
    const cleaned = await withoutMetadata(png, "image/png");
    expect(cleaned.bytes.includes(Buffer.from("secret"))).toBe(false);
    expect(plainPng(cleaned.bytes)).toEqual({ width: 40, height: 30 });
  });
});
