// Fault drills on the job workflow: a flaky and refusing model, and the same
// job delivered twice (as an at-least-once engine may).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { call, createUser, generate, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";

afterAll(closeSql);

describe("a flaky model", () => {
  it("completes transient failures after retries, fails refusals at once with the reason, and leaves nothing pending", async () => {
    const user = await createUser("flaky");
    const flaky = [];
    for (let i = 0; i < 30; i++) flaky.push((await generate(user, `flaky ${i} [[flaky]]`)).job_id);
    const refused = [];
    for (let i = 0; i < 5; i++) refused.push((await generate(user, `refused ${i} [[refuse]]`)).job_id);

    for (const id of refused) {
      const job = await waitForStatus(user, id, ["completed", "failed"], 30_000);
      expect(job).toMatchObject({ status: "failed", attempts: 1, error: "The image model refused this prompt (content policy)" });
    }
    let sawRetries = false;
    for (let round = 0; round < 6; round++) {
      let pendingRetry = 0;
      for (const id of flaky) {
        const job = await waitForStatus(user, id, ["completed", "failed"], 30_000);
        if (job.attempts > 1) sawRetries = true;
        if (job.status === "failed") {
          // Out of attempts on a transient error: the reason says so, and retry-job works.
          expect(job.error).toBe("The image model is temporarily unavailable");
          expect((await call(`/api/retry-job/${id}`, { token: user.token, method: "POST" })).status).toBe(202);
          pendingRetry++;
        }
      }
      if (pendingRetry === 0) break;
    }
    for (const id of flaky) expect((await waitForStatus(user, id, ["completed", "failed"])).status).toBe("completed");
    expect(sawRetries).toBe(true);
    const [pending] = await sql()`select count(*)::int as n from image_jobs where user_id = ${user.id} and status in ('queued', 'processing')`;
    expect(pending!.n).toBe(0);
  }, 120_000);
});

describe("duplicate delivery", () => {
  it("produces one image and one completion when the same job is run twice at once", async () => {
    process.env.DATABASE_URL = inject("databaseUrl");
    process.env.DATA_DIR = inject("dataDir");
    const { generateImageWorkflow } = await import("@/lib/generation/workflow");
    const { EmbeddedRunner } = await import("@/lib/generation/runner");
    const user = await createUser("duplicate");
    const memoless = { run: async <T>(_id: string, fn: () => Promise<T>) => fn() };

    for (const mode of ["workflow", "runner"] as const) {
      // A queued job that no runner was told about, as if its event were delivered twice.
      const [row] =
        await sql()`insert into image_jobs (user_id, prompt, style, quality, model) values (${user.id}, ${`twice via ${mode}`}, 'sketch', 'standard', 'local/sketch') returning id`;
      const ref = { jobId: row!.id as string, userId: user.id };
      if (mode === "workflow") {
        const results = await Promise.all([generateImageWorkflow(memoless, ref), generateImageWorkflow(memoless, ref)]);
        expect(results.map((r) => r.status).sort()).toEqual(["completed", "skipped"]);
      } else {
        const runner = new EmbeddedRunner({ concurrency: 4, perUser: 4, maxAttempts: 3, retryBaseMs: 10 });
        runner.enqueue(ref);
        runner.enqueue(ref);
        await runner.whenIdle();
      }
      const job = await waitForStatus(user, ref.jobId, ["completed", "failed"]);
      expect(job).toMatchObject({ status: "completed", attempts: 1 });
      const dir = path.join(inject("dataDir"), "files", "users", user.id, "jobs", ref.jobId);
      expect(existsSync(dir) && readdirSync(dir).sort()).toEqual(["image.png", "thumbnail.webp"]);
    }
  });
});
