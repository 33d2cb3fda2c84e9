// A local HTTP server that speaks the OpenAI images API (`POST /images/generations`)
// well enough to test Darkroom's hosted models without the network: base64 and
// URL answers (the URL served by this same server), a content-policy refusal,
// other errors, garbage, and a request that never answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

// A PNG chunk (length, type, data, CRC), to build files that carry metadata.
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

// What some generators really send: the prompt and settings in tEXt
// ("parameters", as AUTOMATIC1111 writes), XMP in iTXt, a zTXt comment and an
// eXIf chunk (a big-endian TIFF header with an ImageDescription), all after IHDR.
export const PRIVATE_TEXT = "PRIVATE-PROMPT-TEXT";
function withPrivateChunks(png: Buffer): Buffer {
  const description = Buffer.from(`${PRIVATE_TEXT}\0`, "latin1");
  const tiff = Buffer.alloc(26);
  tiff.write("MM\0*", 0, "latin1");
  tiff.writeUInt32BE(8, 4); // IFD at 8
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x010e, 10); // ImageDescription
  tiff.writeUInt16BE(2, 12); // ASCII
  tiff.writeUInt32BE(description.length, 14);
  tiff.writeUInt32BE(26, 18); // value offset: right after this IFD
  tiff.writeUInt32BE(0, 22); // no next IFD
  const exif = Buffer.concat([tiff, description]);
  const chunks = [
    pngChunk("tEXt", Buffer.from(`parameters\0${PRIVATE_TEXT}\nSteps: 20, Seed: 1`, "latin1")),
    pngChunk("iTXt", Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>${PRIVATE_TEXT}</x:xmpmeta>`, "utf8")),
    pngChunk("zTXt", Buffer.concat([Buffer.from("Comment\0\0", "latin1"), deflateSync(Buffer.from(PRIVATE_TEXT))])),
    pngChunk("eXIf", exif),
  ];
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

export type Mode = "b64" | "metadata" | "gif" | "url" | "content-policy" | "invalid" | "server-error" | "rate-limit" | "unauthorized" | "not-an-image" | "hang";

export type RecordedRequest = { method: string; path: string; authorization: string | undefined; body: any };

export type FakeOpenAI = {
  url: string;
  mode: Mode;
  requests: RecordedRequest[];
  fixture: Buffer;
  // The same picture as `fixture`, carrying tEXt, iTXt, zTXt and eXIf chunks (mode "metadata").
  withMetadata: Buffer;
  close: () => Promise<void>;
};

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  // A real 96×64 PNG, so the app's thumbnailing and dimension checks run for real.
  const fixture = await sharp({ create: { width: 96, height: 64, channels: 3, background: "#c0ffee" } })
    .png()
    .toBuffer();
  const private_ = withPrivateChunks(fixture);
  const gif = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#336699" } })
    .gif()
    .toBuffer();
  const hanging = new Set<ServerResponse>();
  const state = { mode: "b64" as Mode, requests: [] as RecordedRequest[] };

  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET" && path === "/files/image.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(fixture);
      return;
    }
    const raw = await readBody(req);
    let body: any = null;
    try {
      body = JSON.parse(raw);
    } catch {}
    state.requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body });
    if (req.method !== "POST" || !path.endsWith("/images/generations")) return json(res, 404, { error: { message: "no such route" } });
    const address = server.address() as AddressInfo;
    switch (state.mode) {
      case "b64":
        return json(res, 200, { created: 1, data: [{ b64_json: fixture.toString("base64") }] });
      case "metadata":
        return json(res, 200, { created: 1, data: [{ b64_json: private_.toString("base64") }] });
      case "gif":
        return json(res, 200, { created: 1, data: [{ b64_json: gif.toString("base64") }] });
      case "url":
        return json(res, 200, { created: 1, data: [{ url: `http://127.0.0.1:${address.port}/files/image.png` }] });
      case "content-policy":
        return json(res, 400, {
          error: {
            message: "Your request was rejected as a result of our safety system. RAW-PROVIDER-TEXT about the prompt.",
            type: "image_generation_user_error",
            param: null,
            code: "content_policy_violation",
          },
        });
      case "invalid":
        return json(res, 400, { error: { message: "Invalid size RAW-PROVIDER-TEXT", type: "invalid_request_error", param: "size", code: null } });
      case "server-error":
        return json(res, 500, { error: { message: "The server had an error RAW-PROVIDER-TEXT", type: "server_error", param: null, code: null } });
      case "rate-limit":
        return json(res, 429, { error: { message: "Rate limit reached RAW-PROVIDER-TEXT", type: "requests", param: null, code: "rate_limit_exceeded" } });
      case "unauthorized":
        // Like the real API, echo (part of) the key back: it must never reach a log or a job.
        return json(res, 401, {
          error: { message: `Incorrect API key provided: ${req.headers.authorization}`, type: "invalid_request_error", code: "invalid_api_key" },
        });
      case "not-an-image":
        return json(res, 200, { created: 1, data: [{ b64_json: Buffer.from("definitely not a picture").toString("base64") }] });
      case "hang":
        hanging.add(res);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: Mode) {
      state.mode = mode;
    },
    requests: state.requests,
    fixture,
    withMetadata: private_,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
