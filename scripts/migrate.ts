// `npm run db:migrate`: applies the committed migrations as the table owner.
// Uses MIGRATIONS_DATABASE_URL (the owner) if set, else DATABASE_URL.
import { runMigrations } from "../db/migrate";

const url = process.env.MIGRATIONS_DATABASE_URL || process.env.DATABASE_URL;
if (!url) {
  console.error("Set MIGRATIONS_DATABASE_URL or DATABASE_URL to the database to migrate.");
  process.exit(1);
}
await runMigrations(url);
console.log("Migrations applied.");
