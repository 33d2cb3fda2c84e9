// Deprecated: renamed to lib/jobs/input.ts (db/schema.ts is the database
// schema; this was the request schema). Kept only until app/gallery imports
// from "@/lib/jobs/input"; delete it then.
export * from "./input";
