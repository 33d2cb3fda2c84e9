// Helpers for tests that run Darkroom's lib code in the test process against
// the shared test database: point the lib at it, and create jobs directly.
import { inject } from "vitest";
import { sql } from "../../support/db";

// Must run before any lib module reads the environment (getEnv caches it).
export function useTestDatabase(extra: Record<string, string> = {}): void {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.DATA_DIR = inject("dataDir");
  Object.assign(process.env, extra);
}

// A queued job, inserted as the database owner would (the app's own insert path
// is covered by the API tests); nothing dispatches it.
export async function insertQueuedJob(userId: string, fields: { prompt?: string; model?: string; style?: string; quality?: string } = {}) {
  const [row] = await sql()`
    insert into image_jobs (user_id, prompt, style, quality, model)
    values (${userId}, ${fields.prompt ?? "a lighthouse in fog"}, ${fields.style ?? "watercolor"}, ${fields.quality ?? "standard"}, ${fields.model ?? "local/sketch"})
    returning id, updated_at`;
  return { jobId: row!.id as string, userId, updatedAt: row!.updated_at as Date };
}
