// A database URL may name a Unix socket the way libpq does (`?host=/dir`): the
// embedded database's runtime URL does (lib/boot.ts), and so may a deployment's
// DATABASE_URL. Both of the app's drivers must then really go through the socket
// — postgres.js (db/url.ts turns the parameter into its `path`) and
// node-postgres (lib/rate-limits.ts, which reads it by itself) — and a URL
// without it must keep using TCP.
import { statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { socketDirFor } from "@/db/embedded";
import { connectPostgres, socketDirectoryOf, viaSocket } from "@/db/url";

const tcpUrl = inject("databaseUrl");
const socketDir = inject("databaseSocketDir");

// inet_server_addr() is null on a Unix-socket connection, the server's address on TCP.
async function serverAddress(url: string): Promise<string | null> {
  const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ addr: string | null }[]>`select inet_server_addr()::text as addr`;
    return row!.addr;
  } finally {
    await sql.end();
  }
}

describe.skipIf(!socketDir)("a database URL naming a Unix socket", () => {
  it("is reached through the socket by postgres.js and by node-postgres, and over TCP without it", async () => {
    const url = viaSocket(tcpUrl, socketDir!);
    expect(socketDirectoryOf(url)).toBe(socketDir);
    expect(await serverAddress(url)).toBeNull();
    expect(await serverAddress(tcpUrl)).toBe("127.0.0.1/32");

    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const { rows } = await pool.query("select inet_server_addr()::text as addr");
      expect(rows[0].addr).toBeNull();
    } finally {
      await pool.end();
    }
  });

  it("still asks for the password", async () => {
    const wrong = new URL(viaSocket(tcpUrl, socketDir!));
    wrong.password = "not-the-password";
    await expect(serverAddress(wrong.toString())).rejects.toThrow(/password authentication failed/);
  });

  it("is a socket only its owner may open", () => {
    const port = new URL(tcpUrl).port;
    expect(statSync(path.join(socketDir!, `.s.PGSQL.${port}`)).mode & 0o777).toBe(0o700);
  });
});

describe("where the embedded database puts its socket", () => {
  it("in the cluster's folder, unless the path would be too long for a socket or is not a plain path", () => {
    expect(socketDirFor("/var/tmp/darkroom-postgres/abc")).toBe("/var/tmp/darkroom-postgres/abc");
    expect(socketDirFor(`/srv/${"d".repeat(87)}`)).toBe(`/srv/${"d".repeat(87)}`);
    expect(socketDirFor(`/srv/${"d".repeat(88)}`)).toBeNull();
    expect(socketDirFor("/srv/my data,2/postgres")).toBeNull();
  });
});
