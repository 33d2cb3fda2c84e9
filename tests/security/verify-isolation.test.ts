// `npm run verify-isolation` against the test server: no findings on the real
// app, and the route named when a planted leak makes "someone else's" answer
// differently from "missing". The leak lives only in this test: a small HTTP
// proxy in front of the test server that asks the test database who owns a
// collection and answers 403 (instead of the app's 404) when the caller is
// not the owner, the classic existence leak.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { baseUrl } from "../support/api";
import { closeSql, sql } from "../support/db";

const root = path.resolve(import.meta.dirname, "../..");

function runVerifier(target: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/verify-isolation.ts", target], {
      cwd: root,
      env: { ...process.env, VERIFY_OWNER_EMAIL: "", VERIFY_OTHER_EMAIL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

// The caller's id, read from the bearer's claims without checking them (the fixture only needs a name).
const callerOf = (request: IncomingMessage) => {
  const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).sub as string | undefined;
  } catch {
    return undefined;
  }
};

// Two planted leaks: "status" answers 403 for someone else's collection (GET
// /api/collections/{id}); "header" passes the app's own 404 for someone else's
// job through but adds one header (DELETE /api/jobs/{id}), a leak no status or
// body comparison would see.
async function leakyProxy(upstream: string, leakKind: "status" | "header"): Promise<Server> {
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const caller = callerOf(request);
    let extraHeader: [string, string] | undefined;
    const collection = leakKind === "status" && request.method === "GET" && /^\/api\/collections\/([0-9a-f-]{36})$/.exec(request.url ?? "");
    if (collection) {
      const [row] = await sql()`select user_id from collections where id = ${collection[1]!}`;
      if (row && caller && row.user_id !== caller) {
        response.writeHead(403, { "content-type": "application/json", "cache-control": "private, no-store" });
        response.end('{"meta":{"code":0,"message":"Forbidden"},"data":null}');
        return;
      }
    }
    const job = leakKind === "header" && request.method === "DELETE" && /^\/api\/jobs\/([0-9a-f-]{36})$/.exec(request.url ?? "");
    if (job) {
      const [row] = await sql()`select user_id from image_jobs where id = ${job[1]!}`;
      if (row && caller && row.user_id !== caller) extraHeader = ["x-owner-checked", "1"];
    }
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k))) as Record<
      string,
      string
    >;
    // Streamed through, not buffered: an endless answer (GET /api/events) must
    // reach the client as it comes, and stop upstream when the client goes.
    const upstreamRequest = new AbortController();
    response.on("close", () => upstreamRequest.abort());
    const res = await fetch(`${upstream}${request.url}`, {
      method: request.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: "manual",
      signal: upstreamRequest.signal,
    });
    const out: [string, string][] = [...res.headers.entries()].filter(
      ([k]) => !["set-cookie", "content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"].includes(k),
    );
    for (const cookie of res.headers.getSetCookie()) out.push(["set-cookie", cookie]);
    if (extraHeader) out.push(extraHeader);
    response.writeHead(res.status, out.flat());
    if (!res.body) return void response.end();
    Readable.fromWeb(res.body as never)
      .on("error", () => response.destroy())
      .pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

afterAll(closeSql);

describe("npm run verify-isolation", () => {
  it("finds nothing on the real app, and deletes its test accounts", async () => {
    const before = (await sql()`select count(*)::int as n from users where email like 'isolation-%'`)[0]!.n;
    const { code, output } = await runVerifier(baseUrl());
    if (process.env.SHOW_VERIFIER) console.log(output);
    expect(output).toContain("No findings");
    expect(code, output).toBe(0);
    const after = (await sql()`select count(*)::int as n from users where email like 'isolation-%'`)[0]!.n;
    expect(after).toBe(before);
  }, 240_000);

  it("names the route when someone else's object answers differently from a missing one", async () => {
    const proxy = await leakyProxy(baseUrl(), "status");
    try {
      const { code, output } = await runVerifier(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      if (process.env.SHOW_VERIFIER) console.log(output);
      expect(code, output).toBe(1);
      expect(output).toMatch(
        /GET \/api\/collections\/\{id\}\n\s+- someone else's object is distinguishable from a missing one \(bearer\)\n\s+status 403 vs 404/,
      );
      // Only the planted route (the fixture leaks to bearer callers only): everything else still matches.
      expect(output).toContain("1 finding(s)");
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 240_000);

  it("names the route when only a header tells someone else's object from a missing one", async () => {
    const proxy = await leakyProxy(baseUrl(), "header");
    try {
      const { code, output } = await runVerifier(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      if (process.env.SHOW_VERIFIER) console.log(output);
      expect(code, output).toBe(1);
      expect(output).toMatch(
        /DELETE \/api\/jobs\/\{id\}\n\s+- someone else's object is distinguishable from a missing one \(bearer\)\n\s+headers differ: x-owner-checked: 1 vs \n/,
      );
      expect(output).toContain("1 finding(s)");
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 240_000);
});
