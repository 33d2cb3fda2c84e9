// Start-up, run once per server process from instrumentation.ts: validate the
// environment, start the embedded PostgreSQL if DATABASE_URL is unset, apply
// migrations, and start the job runner (the embedded one resumes unfinished jobs).
import "server-only";
import { closeDatabase, databaseUrl } from "@/db/client";
import { startEmbeddedDatabase } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { getEnv } from "./env";
import { getRunner } from "./generation/runners";
import { logger } from "./log";
import { loadOrCreateSecrets } from "./secrets";
import { getStorage } from "./storage";
import { LocalStorage } from "./storage/local";

const log = (event: string, fields: Record<string, unknown> = {}) => logger.info({ event, ...fields });

export async function boot(): Promise<void> {
  const env = getEnv();
  let stopDatabase: (() => Promise<void>) | undefined;
  if (!env.DATABASE_URL) {
    const { databasePassword } = loadOrCreateSecrets(env.DATA_DIR);
    const embedded = await startEmbeddedDatabase({ dataDir: env.DATA_DIR, password: databasePassword, log: (m) => log("embedded_postgres", { message: m }) });
    process.env.DARKROOM_DATABASE_URL = embedded.url;
    stopDatabase = embedded.stop;
    log("embedded_postgres_started", { data_dir: env.DATA_DIR });
  }
  // Split roles (docs/deploy.md): when the app's login role cannot migrate, the owner's URL does it.
  if (env.MIGRATE_ON_START) await runMigrations(env.MIGRATIONS_DATABASE_URL ?? databaseUrl());
  const storage = getStorage();
  if (storage instanceof LocalStorage) await storage.removeLeftovers();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("shutdown", { signal });
    getRunner().stop?.();
    // Interrupted jobs stay `processing` and are resumed at the next start.
    await closeDatabase().catch(() => {});
    await stopDatabase?.().catch(() => {});
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  // The Inngest runner was registered by instrumentation.ts; getRunner() throws if it was not.
  const runner = getRunner();
  const resumed = await runner.start?.();
  log("runner_started", resumed === undefined ? { runner: runner.name } : { runner: runner.name, resumed });
}

// A bad environment or an unreachable database stops the server with one clear line.
export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (error) {
    console.error(`Darkroom could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
