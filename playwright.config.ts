// End-to-end tests of the browser side: a production build (`next build`,
// done beforehand) served by `next start` on the embedded PostgreSQL, in a
// fresh data directory, with the test hooks on.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, defineConfig } from "@playwright/test";
import { BASE_URL as baseURL, E2E_PORT as PORT } from "./e2e/env";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "./lib/server-process";

// Fixed once in the main process; workers inherit it through the environment.
process.env.DARKROOM_E2E_DATA_DIR ||= path.join(os.tmpdir(), `darkroom-e2e-${Date.now()}-${process.pid}`);
const dataDir = process.env.DARKROOM_E2E_DATA_DIR;

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

// Never downloads a browser: an explicit path, Debian's chromium, Playwright's
// own if it happens to be installed, else the binary inside @sparticuz/chromium.
async function resolveBrowser(): Promise<{ executablePath: string; args: string[] }> {
  const explicit = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (explicit) return { executablePath: explicit, args: CHROMIUM_ARGS };
  if (existsSync("/usr/bin/chromium")) return { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS };
  try {
    const managed = chromium.executablePath();
    if (managed && existsSync(managed)) return { executablePath: managed, args: CHROMIUM_ARGS };
  } catch {
    // not installed
  }
  const sparticuz = (await import("@sparticuz/chromium")).default;
  return { executablePath: await sparticuz.executablePath(), args: [...CHROMIUM_ARGS, "--headless=new"] };
}

const browser = await resolveBrowser();

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  // The suite is CPU-bound on two cores (server, database, browser): one worker is as fast and steadier.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Screenshots are attached to the HTML report (playwright-report/) and saved in e2e/artifacts/.
  reporter: [["list"], ["html", { open: "never" }]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL,
    browserName: "chromium",
    launchOptions: { executablePath: browser.executablePath, args: browser.args },
    // Traces cost CPU on every action; turn them on to debug a failure (E2E_TRACE=1).
    trace: process.env.E2E_TRACE ? "retain-on-failure" : "off",
    screenshot: "only-on-failure",
    viewport: { width: 1280, height: 800 },
  },
  webServer: {
    // Uses the build in NEXT_DIST_DIR (default .next), passed through from the environment.
    // Started with the Node running Playwright (Node 24 under npm scripts), not a shebang's PATH lookup.
    // With npm start's own Node flags and environment (lib/server-process.ts).
    command: `"${process.execPath}" ${SERVER_NODE_FLAGS.join(" ")} node_modules/next/dist/bin/next start -p ${PORT} -H 127.0.0.1`,
    url: `${baseURL}/api/health/ready`,
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGTERM lets Next stop the embedded PostgreSQL cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...SERVER_ENV,
      DATABASE_URL: "",
      DARKROOM_DATABASE_URL: "",
      DATA_DIR: dataDir,
      DARKROOM_ENV: "development",
      DARKROOM_TEST_HOOKS: "true",
      JOB_RUNNER: "embedded",
      JOB_RETRY_BASE_MS: "50",
      IMAGE_MODEL: "local/sketch",
      // The offline renderer pauses between its progress steps, so a spec can watch a job develop.
      LOCAL_RENDER_STEP_MS: "300",
      // Every spec registers its own people from 127.0.0.1.
      SIGNUPS_PER_ADDRESS_PER_HOUR: "100000",
      SIGNUPS_PER_HOUR: "100000",
      // Local files and this origin only, whatever the calling shell has set.
      S3_BUCKET: "",
      AUTH_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
