// `npm start` and the servers the tests and the bench start run Node alike.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { START_SCRIPT } from "../../lib/server-process";

it("npm start runs the server with the flags of lib/server-process.ts", () => {
  const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts.start).toBe(START_SCRIPT);
});
