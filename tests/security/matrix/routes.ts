// The route files under app/api, read from disk: which routes exist and which methods each exports.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

const apiRoot = path.resolve(import.meta.dirname, "../../../app/api");

export function discoverRoutes(dir = apiRoot): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...discoverRoutes(full));
    else if (name === "route.ts") found.push(`/api${path.dirname(full).slice(apiRoot.length).split(path.sep).join("/")}`.replace(/\/$/, ""));
  }
  return found.sort();
}

export function exportedMethods(route: string): Method[] {
  const source = readFileSync(path.join(apiRoot, route.slice("/api".length), "route.ts"), "utf8");
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
