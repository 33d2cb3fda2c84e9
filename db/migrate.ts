// Applies the committed drizzle-kit migrations, as the connecting (owner) role.
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connectPostgres } from "./url";

export async function runMigrations(url: string, migrationsFolder = path.resolve(process.cwd(), "db/migrations")) {
  const client = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
