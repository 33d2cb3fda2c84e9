// `npm test`: one production build, then the API tests (vitest, real
// PostgreSQL, real HTTP) and the browser tests (Playwright, real Chromium).
import { spawnSync } from "node:child_process";

const steps = [
  ["next", ["build"]],
  ["vitest", ["run"]],
  ["playwright", ["test"]],
];

for (const [bin, args] of steps) {
  console.log(`\n> ${bin} ${args.join(" ")}`);
  const result = spawnSync(`node_modules/.bin/${bin}`, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`\n${bin} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}
