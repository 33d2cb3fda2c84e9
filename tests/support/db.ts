// Direct access to the test database, to check side effects and row-level security.
import postgres from "postgres";
import { inject } from "vitest";
import { derivedPassword, RUNTIME_ROLE, urlForRole } from "../../db/roles";

let client: postgres.Sql | undefined;

export function sql(): postgres.Sql {
  client ??= postgres(inject("databaseUrl"), { max: 2, onnotice: () => {} });
  return client;
}

export async function closeSql() {
  await client?.end({ timeout: 5 });
  client = undefined;
}

// Reads a job row as the database owner would see it outside the app, bypassing
// RLS only for the test's own inspection (superuser).
export async function jobRow(id: string) {
  const rows = await sql()`select * from image_jobs where id = ${id}`;
  return rows[0];
}

// The app's runtime login role on the test database: the one the server made
// for itself because the test database's URL is a superuser's (lib/boot.ts).
export function runtimeUrl(): string {
  const url = inject("databaseUrl");
  return urlForRole(url, RUNTIME_ROLE, derivedPassword(new URL(url).password, RUNTIME_ROLE));
}
