// A model kind this server is not configured for is never loaded: the model
// registry reaches the hosted SDKs and the GPU backend clients through
// import() only. Reads the source (no server needed).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const source = readFileSync(path.resolve(import.meta.dirname, "../../lib/generation/models/index.ts"), "utf8");

describe("lib/generation/models/index.ts", () => {
  it.each(["./hosted", "./a1111", "./comfyui", "./local-sketch"])("loads %s with import() only", (module) => {
    expect(source).not.toMatch(new RegExp(`^import[^;]*from\\s+"${module}"`, "m"));
    expect(source).toContain(`import("${module}")`);
  });
  it("imports no provider SDK or backend client statically", () => {
    const statics = [...source.matchAll(/^import[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
    expect(statics.sort()).toEqual(["./catalog", "./types", "@/lib/env"]);
  });
});
