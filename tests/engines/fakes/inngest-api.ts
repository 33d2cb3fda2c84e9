// A local stand-in for Inngest's HTTP APIs: it records every request and answers
// the event API (`POST /e/<event key>`) the way Inngest does. No Inngest server
// can run here; this lets tests see exactly what the SDK sends, and when.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedCall = { method: string; path: string; body: any };

export type FakeInngest = { url: string; calls: RecordedCall[]; events: () => any[]; close: () => Promise<void> };

export async function startFakeInngest(): Promise<FakeInngest> {
  const calls: RecordedCall[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: any = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {}
    const path = (req.url ?? "/").split("?")[0]!;
    calls.push({ method: req.method ?? "", path, body });
    res.setHeader("content-type", "application/json");
    if (req.method === "POST" && path.startsWith("/e/")) {
      const events = Array.isArray(body) ? body : [body];
      res.end(JSON.stringify({ ids: events.map((_, i) => `evt-${calls.length}-${i}`), status: 200 }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    events: () => calls.filter((c) => c.method === "POST" && c.path.startsWith("/e/")).flatMap((c) => (Array.isArray(c.body) ? c.body : [c.body])),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A port that nothing listens on (bound, then released).
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Accepts connections and never answers: a black-holed endpoint.
export async function startBlackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
