import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  entities: { roles: true },
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/darkroom" },
});
