// `npm test`: one production build, then the three tiers: unit (pure code),
// server (vitest against `next start` on a real PostgreSQL) and e2e
// (Playwright, real Chromium). Every step runs on the Node running this script
// (Node 24 from the `node` devDependency under npm scripts).
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";

const steps = [
  ["next", ["build"]],
  ["vitest", ["run", "--project", "unit"]],
  ["vitest", ["run", "--project", "server"]],
  ["playwright", ["test"]],
];

console.log(`Node ${process.version} (${process.execPath})`);
for (const [bin, args] of steps) {
  console.log(`\n> ${bin} ${args.join(" ")}`);
  // node_modules/.bin/<bin> links to the package's JS entry point.
  const entry = realpathSync(`node_modules/.bin/${bin}`);
  const result = spawnSync(process.execPath, [entry, ...args], { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`\n${bin} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}
