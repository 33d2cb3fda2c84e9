// Direct access to the test database, to check side effects and row-level security.
import postgres from "postgres";
import { inject } from "vitest";

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
