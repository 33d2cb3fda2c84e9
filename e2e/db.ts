// The e2e server's own embedded database, for the few checks a browser cannot
// make in reasonable time (a share link's expiry): its port from the running
// server's postmaster.pid and its password from the data directory's secrets.
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { runningEmbeddedPort } from "../db/embedded";

export async function withDatabase<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const dataDir = process.env.DARKROOM_E2E_DATA_DIR!;
  const { databasePassword } = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { databasePassword: string };
  const port = runningEmbeddedPort(dataDir);
  if (!port) throw new Error(`no embedded database running in ${dataDir}`);
  const sql = postgres(`postgres://postgres:${encodeURIComponent(databasePassword)}@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
