// Start-up, run once per server process from instrumentation.ts: validate the
// environment, start the embedded PostgreSQL if DATABASE_URL is unset, apply
// migrations, and start the job runner (the embedded one resumes unfinished jobs).
import "server-only";
import { closeDatabase, databaseUrl } from "@/db/client";
import { startEmbeddedDatabase } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { derivedPassword, ensureRuntimeRole, OWNER_ROLE, prepareEmbeddedOwner, RUNTIME_ROLE, runtimeRoleProblems } from "@/db/roles";
import { socketDirectoryOf, viaSocket } from "@/db/url";
import { getEnv } from "./env";
import { stopEvents } from "./events/listener";
import { getRunner } from "./generation/runners";
import { errorText, logger } from "./log";
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
    stopDatabase = embedded.stop;
    log("embedded_postgres_started", { data_dir: env.DATA_DIR });
    // The superuser only creates the owner; the owner migrates and creates the runtime role.
    const ownerUrl = await prepareEmbeddedOwner(embedded.url, derivedPassword(databasePassword, OWNER_ROLE));
    await runMigrations(ownerUrl);
    const runtimeUrl = await ensureRuntimeRole(ownerUrl, derivedPassword(databasePassword, RUNTIME_ROLE));
    process.env.DARKROOM_DATABASE_URL = embedded.socketDir ? viaSocket(runtimeUrl, embedded.socketDir) : runtimeUrl;
  } else {
    // Split roles (docs/deploy.md): when the app's login role cannot migrate, the owner's URL does it.
    if (env.MIGRATE_ON_START) await runMigrations(env.MIGRATIONS_DATABASE_URL ?? env.DATABASE_URL);
    process.env.DARKROOM_DATABASE_URL = await runtimeUrlFor(env.DATABASE_URL, env.DARKROOM_ENV);
  }
  // The second wall must fail closed: never serve on a role that row-level security does not bind.
  const runtime = await runtimeRoleProblems(databaseUrl());
  if (runtime.problems.length > 0) throw new Error(`the database role "${runtime.role}" is unfit to serve: it ${runtime.problems.join("; ")}`);
  log("database_role", { role: runtime.role, via: socketDirectoryOf(databaseUrl()) ? "unix socket" : "tcp" });
  if (process.env.ADMIN_EMAILS)
    logger.warn({ event: "admin_emails_ignored", message: "ADMIN_EMAILS is no longer read: grant administrators with `npm run admin -- grant <email>`" });
  const storage = getStorage();
  if (storage instanceof LocalStorage) await storage.removeLeftovers();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("shutdown", { signal });
    getRunner().stop?.();
    // Open event streams end and the LISTEN connection closes before the database does.
    await stopEvents();
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

// DATABASE_URL as given, if it is an unprivileged login role. A privileged one
// (superuser, owner of the tables, inheriting a policy role) is refused in
// production; in development the app makes and uses its own runtime role instead.
async function runtimeUrlFor(url: string, mode: "development" | "production"): Promise<string> {
  const { role, problems } = await runtimeRoleProblems(url);
  if (problems.length === 0) return url;
  if (mode === "production") {
    throw new Error(
      `DATABASE_URL connects as "${role}", which ${problems.join("; ")}. Connect as an unprivileged login role (see "Database roles" in docs/deploy.md) and run migrations with MIGRATIONS_DATABASE_URL.`,
    );
  }
  try {
    const runtimeUrl = await ensureRuntimeRole(url, derivedPassword(new URL(url).password, RUNTIME_ROLE));
    logger.warn({ event: "database_runtime_role", message: `DATABASE_URL's role "${role}" is privileged; serving as "${RUNTIME_ROLE}" instead` });
    return runtimeUrl;
  } catch (error) {
    throw new Error(
      `DATABASE_URL connects as "${role}", which ${problems.join("; ")}, and it could not create the unprivileged role "${RUNTIME_ROLE}" (${errorText(error)}). Give it CREATEROLE or connect as an unprivileged login role (docs/deploy.md).`,
    );
  }
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
