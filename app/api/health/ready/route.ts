import { sql } from "drizzle-orm";
import { systemDb } from "@/db/client";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// Readiness: the database answers (a failure becomes the envelope's 503).
export const GET = route(async () => {
  await systemDb().execute(sql`select 1`);
  return ok({ status: "ready" });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
