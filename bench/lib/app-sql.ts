// The app's own statements for the EXPLAINs, captured by bench/capture-sql.ts.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { CaptureCall, Captured } from "../capture-sql";
import type { Query } from "./explain";
import { root } from "./server";

export type { CaptureCall };

// The statement each call ran on its table (not the set_config before it), or an error.
export function captureAppSql(url: string, calls: CaptureCall[]): Record<string, Query> | Error {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "bench/capture-sql.ts"), JSON.stringify({ url, calls })],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  if (result.status !== 0) return new Error(`capture-sql exited ${result.status ?? result.signal}: ${result.stderr.slice(-800)}`);
  let captured: Captured;
  try {
    captured = JSON.parse(result.stdout) as Captured;
  } catch {
    return new Error(`capture-sql printed no JSON: ${result.stdout.slice(0, 300)}`);
  }
  const out: Record<string, Query> = {};
  for (const call of calls) {
    const table = call.fn === "findAccount" ? '"users"' : '"image_jobs"';
    const statement = (captured[call.name] ?? []).filter((q) => q.sql.includes(`from ${table}`)).at(-1);
    if (!statement) return new Error(`capture-sql saw no query on ${table} for ${call.name} (did db/client.ts change how it keeps its pool?)`);
    out[call.name] = statement;
  }
  return out;
}
