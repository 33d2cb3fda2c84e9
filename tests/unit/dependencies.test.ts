// The direction of every dependency (docs/architecture.md): app → lib → db,
// inngest → lib, nothing back; domain code does not speak HTTP; no lib/ file
// outgrows 300 lines. Reads the sources only (no server or database needed).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  const full = path.join(root, dir);
  return readdirSync(full).flatMap((name) => {
    const entry = path.join(full, name);
    if (statSync(entry).isDirectory()) return sources(path.join(dir, name));
    return /\.(ts|tsx)$/.test(name) ? [path.join(dir, name)] : [];
  });
}

// Every module a file imports (static, dynamic, re-export), as a path from the repository root.
function importsOf(file: string): string[] {
  const source = readFileSync(path.join(root, file), "utf8");
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1]!);
  return specifiers
    .map((s) => (s.startsWith("@/") ? s.slice(2) : s.startsWith(".") ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), s)) : null))
    .filter((s): s is string => s !== null)
    .map((s) => s.split(path.sep).join("/"));
}

const under = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);

describe("dependencies point one way", () => {
  const rules: [string, string[]][] = [
    ["lib", ["inngest", "app"]],
    ["db", ["lib", "inngest", "app"]],
    ["inngest", ["app"]],
  ];
  it.each(rules)("%s/ imports none of %j", (folder, forbidden) => {
    const wrong = sources(folder).flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.some((f) => under(target, f)))
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });

  it("keeps HTTP out of domain code: only lib/http imports lib/http", () => {
    const wrong = sources("lib")
      .filter((file) => !under(file, "lib/http"))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => under(target, "lib/http"))
          .map((target) => `${file} → ${target}`),
      );
    expect(wrong).toEqual([]);
  });
});

describe("small modules", () => {
  it("has no file in lib/ or app/ over 300 lines", () => {
    const long = [...sources("lib"), ...sources("app")]
      .map((file) => [file, readFileSync(path.join(root, file), "utf8").split("\n").length - 1] as const)
      .filter(([, lines]) => lines > 300);
    expect(long).toEqual([]);
  });
});
