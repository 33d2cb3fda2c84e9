// The operator's admin CLI (`npm run admin`), run for real against the test database.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

// Against the shared test database, or (with `env`) e.g. an embedded one: { DATABASE_URL: "", DATA_DIR }.
export async function adminCli(...args: [...string[], Record<string, string>] | string[]): Promise<{ code: number; out: string }> {
  const last = args.at(-1);
  const env = typeof last === "object" ? (args.pop() as Record<string, string>) : { DATABASE_URL: inject("databaseUrl") };
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(root, "node_modules/.bin/tsx"), ["scripts/admin.ts", ...(args as string[])], {
      cwd: root,
      env: { ...process.env, MIGRATIONS_DATABASE_URL: "", ...env },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}
