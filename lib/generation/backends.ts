// The self-hosted GPU backends this server is configured for (A1111_BASE_URL,
// COMFYUI_BASE_URL): whether each answers and which models it offers, for
// /api/health/ready and the admin page. A backend's client is imported only
// when it is configured.
import "server-only";
import { readdir } from "node:fs/promises";
import { getEnv } from "@/lib/env";
import type { BackendStatus } from "./models/a1111";

export type { BackendStatus };

// ComfyUI models are the workflow templates with a map beside them.
export async function comfyWorkflowNames(dir: string): Promise<string[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith(".map.json"))
    .map((f) => f.slice(0, -".map.json".length))
    .filter((name) => files.includes(`${name}.json`) && /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(name))
    .sort();
}

export async function backendStatuses(timeoutMs: number): Promise<BackendStatus[]> {
  const env = getEnv();
  const checks: Promise<BackendStatus>[] = [];
  if (env.A1111_BASE_URL) checks.push(import("./models/a1111").then((m) => m.probeA1111(env, timeoutMs)));
  if (env.COMFYUI_BASE_URL) {
    checks.push(
      Promise.all([import("./models/comfyui"), comfyWorkflowNames(env.COMFYUI_WORKFLOWS_DIR)]).then(([m, names]) => m.probeComfyUI(env, timeoutMs, names)),
    );
  }
  return Promise.all(checks);
}

// Readiness probes come often (load balancers, every few seconds): a backend
// is asked at most once per interval, and never for longer than two seconds.
const READY_CACHE_MS = 3000;
let cached: { at: number; value: Promise<Record<string, string>> } | undefined;

export function backendReadiness(): Promise<Record<string, string>> {
  if (cached && Date.now() - cached.at < READY_CACHE_MS) return cached.value;
  const env = getEnv();
  const value = backendStatuses(Math.min(2000, env.BACKEND_CONNECT_TIMEOUT_MS)).then((all) =>
    Object.fromEntries(all.map((b) => [b.provider, b.reachable ? "ok" : "unreachable"])),
  );
  cached = { at: Date.now(), value };
  return value;
}
