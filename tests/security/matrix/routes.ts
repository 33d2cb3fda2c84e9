// The route files under app/api and app/v1 (the OpenAI-compatible gateway),
// read from disk: which routes exist and which methods each exports.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

const appRoot = path.resolve(import.meta.dirname, "../../../app");
// Every folder of app/ that serves an API; a new one must be added here to be covered.
export const API_ROOTS = ["api", "v1"];

function routesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...routesUnder(full));
    else if (name === "route.ts") found.push(`/${path.relative(appRoot, path.dirname(full)).split(path.sep).join("/")}`);
  }
  return found;
}

export function discoverRoutes(): string[] {
  return API_ROOTS.flatMap((root) => routesUnder(path.join(appRoot, root))).sort();
}

export function exportedMethods(route: string): Method[] {
  const source = readFileSync(path.join(appRoot, route.slice(1), "route.ts"), "utf8");
  const names = new Set<string>();
  for (const m of source.matchAll(/export (?:const|(?:async )?function) (\w+)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export const \{([^}]+)\}\s*=/g)) for (const n of m[1]!.split(",")) names.add(n.trim());
  for (const m of source.matchAll(/export \{([^}]+)\}/g))
    for (const n of m[1]!.split(","))
      names.add(
        n
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      );
  return METHODS.filter((method) => names.has(method));
}

// A route with a dynamic segment such as [id] addresses one object (catch-alls like [...slug] do not).
export const hasObjectSegment = (route: string) => /\/\[(?!\.\.\.)[^\]]+\]/.test(route);

// Route files anywhere else in app/: an API outside API_ROOTS would escape the matrix.
export function routesOutsideApiRoots(): string[] {
  return readdirSync(appRoot)
    .filter((name) => !API_ROOTS.includes(name) && statSync(path.join(appRoot, name)).isDirectory())
    .flatMap((name) => routesUnder(path.join(appRoot, name)))
    .sort();
}
