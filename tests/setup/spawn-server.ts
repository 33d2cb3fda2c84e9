// Starts the production build (`next start`) as a child process and waits
// until it answers. Shared by the API test setup and tests that need their own server.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../../lib/server-process";

const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

export type RunningServer = { url: string; process: ChildProcess; output: () => string; stop: () => Promise<void> };

// A server already on the port would answer the readiness probe and the tests
// would silently run against it (another checkout, a leftover): refuse instead.
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () => reject(new Error(`port ${port} is already in use: stop whatever listens there (set TEST_PORT for the shared server)`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

export async function startServer(options: { port: number; env: Record<string, string | undefined> }): Promise<RunningServer> {
  await assertPortFree(options.port);
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
    throw new Error(`No production build in ${distDir}: run \`npm run build\` first (npm test does it for you)`);
  }
  const env = {} as NodeJS.ProcessEnv;
  // Sign-up limits are counted in the shared database (table rate_limits), across every
  // server of a run: generous unless a test sets its own (tests/security/hardening.test.ts).
  const generous = { SIGNUPS_PER_ADDRESS_PER_HOUR: "1000000", SIGNUPS_PER_HOUR: "10000000" };
  for (const [k, v] of Object.entries({ ...process.env, NODE_ENV: "production", ...generous, ...options.env })) if (v !== undefined) env[k] = v;
  // The Node running the tests runs the server too (Node 24 from the `node`
  // devDependency under npm scripts), not whichever `node` a shebang finds on PATH.
  Object.assign(env, SERVER_ENV);
  // With npm start's own Node flags: a heap limit the tests outgrow fails them too.
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, nextBin, "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 90_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health/ready`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  return { url, process: child, output: () => output, stop };
}
