// The two-role PostgreSQL setup of docs/deploy.md: the app logs in as a role
// that owns nothing and can only SET ROLE. The grants are read from the doc
// itself, applied to the test database, and a job then runs through the Inngest
// function connected as that role, while direct access to user rows is refused.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUser } from "../support/api";
import { closeSql, jobRow, sql } from "../support/db";
import { insertQueuedJob } from "./support/jobs";

const ROLE = `darkroom_web_${randomBytes(4).toString("hex")}`;
const PASSWORD = randomBytes(12).toString("hex");
let asWeb: postgres.Sql;
let webUrl: string;

// The ```sql block that follows the `<!-- app-role-sql -->` marker in docs/deploy.md.
function documentedGrants(): string {
  const doc = readFileSync(path.resolve(import.meta.dirname, "../../docs/deploy.md"), "utf8");
  const after = doc.slice(doc.indexOf("<!-- app-role-sql -->"));
  const block = /```sql\n([\s\S]*?)```/.exec(after);
  if (!block) throw new Error("docs/deploy.md lost its app-role-sql block");
  return block[1]!.replaceAll("darkroom_web", ROLE);
}

beforeAll(async () => {
  // Step 1 of the doc (as an administrator), then step 3 verbatim.
  await sql().unsafe(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}' NOINHERIT`);
  await sql().unsafe(documentedGrants());
  const url = new URL(inject("databaseUrl"));
  url.username = ROLE;
  url.password = PASSWORD;
  webUrl = url.toString();
  asWeb = postgres(webUrl, { max: 1, onnotice: () => {} });
  process.env.DATABASE_URL = webUrl;
  process.env.DATA_DIR = inject("dataDir");
});
afterAll(async () => {
  await asWeb?.end({ timeout: 5 });
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
  await sql().unsafe(`DROP OWNED BY ${ROLE}; DROP ROLE ${ROLE}`);
  await closeSql();
});

describe("the app's login role", () => {
  it("cannot read user rows or change the schema without switching role", async () => {
    await expect(asWeb`select count(*) from image_jobs`).rejects.toThrow(/permission denied/);
    await expect(asWeb`select count(*) from refresh_tokens`).rejects.toThrow(/permission denied/);
    await expect(asWeb.unsafe("create table intruder (id int)")).rejects.toThrow(/permission denied/);
    await expect(asWeb.unsafe("alter table image_jobs disable row level security")).rejects.toThrow(/must be owner/);
    // Switched to darkroom_app but with no person set, row-level security shows nothing.
    const [row] = await asWeb
      .begin((tx) => [tx`select set_config('role', 'darkroom_app', true)`, tx`select count(*)::int as n from image_jobs`])
      .then((r) => r[1]!);
    expect(row!.n).toBe(0);
  });

  it("runs a whole job through the Inngest function with only the documented grants", async () => {
    const user = await createUser("web-role");
    const job = await insertQueuedJob(user.id, { prompt: "least privilege" });
    const { generateImage } = await import("@/inngest/functions/generate-image");
    const { systemDb } = await import("@/db/client");
    const { sql: raw } = await import("drizzle-orm");
    expect(((await systemDb().execute(raw`select current_user as u`)) as unknown as { u: string }[])[0]!.u).toBe(ROLE);
    const event = { name: "darkroom/image.requested", data: { jobId: job.jobId, userId: user.id, queuedAt: job.updatedAt.toISOString() } };
    const { result, error } = await new InngestTestEngine({ function: generateImage, events: [event] }).execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "completed" });
    expect(await jobRow(job.jobId)).toMatchObject({ status: "completed", attempts: 1 });
  });
});
