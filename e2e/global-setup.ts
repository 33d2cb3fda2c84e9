// Starts each run with an empty e2e/artifacts/ (screenshots), and removes data
// directories left by earlier runs (older than three hours, so a run still
// going in another terminal is left alone).
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export default function globalSetup() {
  const artifacts = path.join(import.meta.dirname, "artifacts");
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  const current = process.env.DARKROOM_E2E_DATA_DIR;
  const cutoff = Date.now() - 3 * 3600_000;
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith("darkroom-e2e-")) continue;
    const dir = path.join(os.tmpdir(), name);
    if (dir === current) continue;
    try {
      if (statSync(dir).mtimeMs < cutoff) rmSync(dir, { recursive: true, force: true });
    } catch {
      // already gone, or not ours to remove
    }
  }
}
