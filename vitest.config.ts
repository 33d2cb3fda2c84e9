import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React's server bundle; tests run server code directly.
      "server-only": path.resolve(import.meta.dirname, "tests/setup/empty.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/server.ts"],
    // One production server and database are shared by every file.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    server: { deps: { inline: ["next-auth"] } },
  },
});
