// Two tiers (`vitest --project <name>`):
// - unit: pure code imported directly: no build, no server, no database. Seconds.
// - server: everything else, against one production server (`next start`, a
//   build is needed) on a real PostgreSQL, started once by tests/setup/server.ts.
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React's server bundle; tests run server code directly.
  "server-only": path.resolve(import.meta.dirname, "tests/setup/empty.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          testTimeout: 5_000,
        },
      },
      {
        extends: true,
        test: {
          name: "server",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/unit/**"],
          globalSetup: ["tests/setup/server.ts"],
          // One production server and database are shared by every file.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
          server: { deps: { inline: ["next-auth"] } },
        },
      },
    ],
  },
});
