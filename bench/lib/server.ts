// The production server under test: `next build` when the build is missing,
// `next start` on the embedded defaults with a fresh DATA_DIR, and a clean stop
// (server, its embedded PostgreSQL, the data) whatever happens to the run.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, isAlive } from "../../db/processes";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../../lib/server-process";
import { sleep } from "./stats";

export const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

const SOURCES = [
  "app",
  "lib",
  "db",
  "inngest",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package.json",
  "tsconfig.json",
  "tsconfig.next.json",
  "postcss.config.mjs",
];

// The newest source file, if it is newer than the build: a stale build would measure old code.
function newerSource(since: number): string | null {
  let newest: { file: string; mtime: number } | null = null;
  const visit = (file: string) => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(file)) if (entry !== "node_modules" && !entry.startsWith(".")) visit(path.join(file, entry));
    } else if (st.mtimeMs > since && (!newest || st.mtimeMs > newest.mtime)) {
      newest = { file: path.relative(root, file), mtime: st.mtimeMs };
    }
  };
  for (const s of SOURCES) visit(path.join(root, s));
  return (newest as { file: string } | null)?.file ?? null;
}

// Builds when there is no build, or when a source file is newer than it (BENCH_BUILD=1: always; =0: never).
export function ensureBuild(distDir: string, mode: "auto" | "always" | "never"): string {
  const buildId = path.join(root, distDir, "BUILD_ID");
  const exists = existsSync(buildId);
  const stale = exists ? newerSource(statSync(buildId).mtimeMs) : null;
  if (exists && (mode === "never" || (mode === "auto" && stale === null))) {
    return stale ? `reused although ${stale} is newer (BENCH_BUILD=0)` : "reused (up to date)";
  }
  const why = !exists ? "no build" : mode === "always" ? "BENCH_BUILD=1" : `${stale} is newer than the build`;
  console.log(`\n> next build (NEXT_DIST_DIR=${distDir}): ${why}`);
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  return `built (${why})`;
}

function traversable(dir: string): boolean {
  for (let current = path.resolve(dir); path.dirname(current) !== current; current = path.dirname(current)) {
    const parent = path.dirname(current);
    if (existsSync(parent) && (statSync(parent).mode & 0o001) === 0) return false;
  }
  return true;
}

// As root, PostgreSQL runs as `postgres`, who must reach the data folder.
export async function createDataDir(): Promise<string> {
  const base = traversable(tmpdir()) ? tmpdir() : "/tmp";
  const dir = await mkdtemp(path.join(base, "darkroom-bench-"));
  await chmod(dir, 0o755);
  return dir;
}

// Mirrors db/embedded.ts: where the cluster lives for a given DATA_DIR.
export function clusterDir(dataDir: string): string {
  const direct = path.resolve(dataDir, "postgres");
  if (process.getuid?.() !== 0 || traversable(direct)) return direct;
  return path.join("/var/tmp/darkroom-postgres", Buffer.from(path.resolve(dataDir)).toString("base64url").slice(-40));
}

export function databaseUrl(dataDir: string): string {
  const lines = readFileSync(path.join(clusterDir(dataDir), "postmaster.pid"), "utf8").split("\n");
  const port = Number(lines[3]);
  const { databasePassword } = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { databasePassword: string };
  if (!Number.isInteger(port) || port <= 0) throw new Error("no port in postmaster.pid");
  return `postgres://postgres:${encodeURIComponent(databasePassword)}@127.0.0.1:${port}/postgres`;
}

export { freePort };

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
};

// `next start` renames its own process to `next-server (vX)`; older versions
// forked a child of that name. Either way: the process called next-server.
function findNextServerPid(rootPid: number): number {
  if (cmdline(rootPid).startsWith("next-server")) return rootPid;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {}
  }
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (cmdline(pid).startsWith("next-server")) return pid;
    queue.push(...(children.get(pid) ?? []));
  }
  return rootPid;
}

export type BenchServer = {
  url: string;
  dataDir: string;
  // The next-server process (resolved once the server answers).
  pid: () => number;
  // The server's own process group (it is started detached): the server and its PostgreSQL.
  processGroup: number;
  tail: () => string;
  waitReady: () => Promise<void>;
  stop: () => Promise<void>;
};

// Everything that could reach outside this machine is unset: the bench talks to 127.0.0.1 only.
const OUTBOUND = /^(DATABASE_URL|INNGEST_|S3_|OPENAI_|GOOGLE_GENERATIVE_AI_|REPLICATE_|FAL_|TOGETHER_|IMAGE_BASE_URL|IMAGE_API_KEY|AUTH_URL)/;

// Returns as soon as the process is spawned, so that an interrupted start-up can still be cleaned up.
export async function launchServer(options: {
  distDir: string;
  dataDir: string;
  env: Record<string, string>;
  onUnexpectedExit: (code: number | null, signal: NodeJS.Signals | null, tail: string) => void;
}): Promise<BenchServer> {
  const port = await freePort();
  const env = {} as NodeJS.ProcessEnv;
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !OUTBOUND.test(k)) env[k] = v;
  Object.assign(
    env,
    // The bench creates its people through the real sign-up route: lift the sign-up limit.
    {
      NODE_ENV: "production",
      NEXT_DIST_DIR: options.distDir,
      DATA_DIR: options.dataDir,
      JOB_RUNNER: "embedded",
      NEXT_TELEMETRY_DISABLED: "1",
      SIGNUPS_PER_HOUR: "1000000",
    },
    options.env,
  );
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each server, written when it stops
  // (open it in Chrome DevTools or summarise it with `npx tsx bench/profile-summary.ts <file>`).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // Own process group: Ctrl-C reaches the bench only, which stops the server in order (server, then database).
  // As `npm start` runs it (lib/server-process.ts).
  Object.assign(env, SERVER_ENV);
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...profile, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The server logs every request: keep draining the pipe (or it blocks) but keep only the tail.
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 400) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const tail = () => lines.slice(-40).join("\n");
  const running = () => child.exitCode === null && child.signalCode === null;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code, signal) => {
    if (!stopping) options.onUnexpectedExit(code, signal, tail());
  });

  const cluster = clusterDir(options.dataDir);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopping = true;
    stopped ??= (async () => {
      if (running()) {
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(20_000)]);
        if (running()) child.kill("SIGKILL");
      }
      // A killed server leaves its PostgreSQL running: stop that postmaster (by its own pid file).
      const pidFile = path.join(cluster, "postmaster.pid");
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
        if (pid > 0 && isAlive(pid) && cmdline(pid).includes("postgres")) {
          process.kill(pid, "SIGINT");
          for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
          if (isAlive(pid)) process.kill(pid, "SIGKILL");
        }
      }
      await rm(options.dataDir, { recursive: true, force: true });
      if (!cluster.startsWith(path.resolve(options.dataDir))) await rm(cluster, { recursive: true, force: true });
    })();
    return stopped;
  };
  // Last resort if the bench itself exits without cleaning up.
  process.once("exit", () => {
    if (running()) child.kill("SIGTERM");
  });

  const url = `http://127.0.0.1:${port}`;
  let serverPid = child.pid!;
  const waitReady = async () => {
    const deadline = Date.now() + 120_000;
    while (true) {
      if (!running()) throw new Error(`server exited during start-up:\n${tail()}`);
      try {
        if ((await fetch(`${url}/api/health/ready`)).ok) break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`server did not become ready:\n${tail()}`);
      await sleep(250);
    }
    serverPid = findNextServerPid(child.pid!);
  };
  return { url, dataDir: options.dataDir, pid: () => serverPid, processGroup: child.pid!, tail, waitReady, stop };
}
