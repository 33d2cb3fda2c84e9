// Deprecated: renamed to lib/jobs/public.ts. Kept only until lib/account and
// lib/client import from "@/lib/jobs/public"; delete it then.
export * from "./public";
