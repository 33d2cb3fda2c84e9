// Scenario 5: the job queue on the embedded runner with the offline renderer.
// Job timings come from the rows themselves (created_at, started_at,
// completed_at are set by the server's own statements); the renderer's own
// time is measured here, in this process, with lib/generation/models/local-sketch.ts
// on the same prompts, doing what the workflow's render step does (render + thumbnail).
import sharp from "sharp";
import { localSketchModel } from "../../lib/generation/models/local-sketch";
import type { CpuSnapshot } from "./cpu";
import type { LoadWorker } from "./load";
import type { SubmitResult } from "./load-protocol";
import type { Sql } from "./seed";
import { median, percentile, round, sleep } from "./stats";

export type Person = { id: string; token: string };
type JobTimes = { id: string; status: string; createdAt: number; startedAt: number; completedAt: number };
export type Dist = { p50: number; p99: number; max: number; n: number };

const dist = (values: number[]): Dist => ({
  p50: round(median(values), 1),
  p99: round(percentile(values, 99), 1),
  max: round(Math.max(...values), 1),
  n: values.length,
});
const promptFor = (label: string, i: number) => `bench ${label} #${i}: a lighthouse on a cliff at dusk, long exposure`;

export async function renderInProcess(prompts: string[], concurrency: number): Promise<{ ms: number[]; jobsPerSec: number; cpuMsPerJob: number }> {
  const ms: number[] = new Array(prompts.length);
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < prompts.length) {
        const i = next++;
        const t = performance.now();
        const image = await localSketchModel.generate({ prompt: prompts[i]!, style: "realistic", quality: "standard", attempt: 1 });
        await sharp(image.bytes).resize({ width: 256, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
        ms[i] = performance.now() - t;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, jobsPerSec: prompts.length / ((performance.now() - started) / 1000), cpuMsPerJob: (cpu.user + cpu.system) / 1000 / prompts.length };
}

async function waitForJobs(sql: Sql, ids: string[], timeoutMs: number): Promise<Map<string, JobTimes>> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from image_jobs where id = any(${ids}::uuid[]) and status in ('queued', 'processing')`;
    if (row!.n === 0) break;
    if (Date.now() > deadline) throw new Error(`${row!.n} of ${ids.length} jobs still unfinished after ${timeoutMs / 1000} s`);
    await sleep(ids.length > 1 ? 250 : 10);
  }
  const rows = await sql<{ id: string; status: string; created_at: Date; started_at: Date | null; completed_at: Date | null }[]>`
    select id, status, created_at, started_at, completed_at from image_jobs where id = any(${ids}::uuid[])`;
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        status: r.status,
        createdAt: r.created_at.getTime(),
        startedAt: r.started_at?.getTime() ?? Number.NaN,
        completedAt: r.completed_at?.getTime() ?? Number.NaN,
      },
    ]),
  );
}

function accepted(results: SubmitResult): string[] {
  const bad = results.filter((r) => r.status !== 202 || !r.jobId);
  if (bad.length > 0) throw new Error(`${bad.length} submissions refused (first: HTTP ${bad[0]!.status})`);
  return results.map((r) => r.jobId!);
}

export async function queueScenario(options: {
  worker: LoadWorker;
  sql: Sql;
  url: string;
  burstPeople: Person[];
  burstPerPerson: number;
  idleJobs: number;
  heavy: Person;
  heavyJobs: number;
  light: Person[];
  concurrency: number;
  perUser: number;
  cpu?: () => CpuSnapshot;
}) {
  const { worker, sql } = options;
  const submitUrl = `${options.url}/api/generate-image`;

  // (a) One job at a time on an idle queue: what the job system adds to a render.
  const idle: { e2e: number; wait: number; processing: number; post: number }[] = [];
  const idlePrompts: string[] = [];
  for (let i = 0; i < options.idleJobs; i++) {
    const prompt = promptFor("idle", i);
    idlePrompts.push(prompt);
    const [r] = await worker.submit({ url: submitUrl, jobs: [{ token: options.burstPeople[0]!.token, prompt }], concurrency: 1 });
    const [id] = accepted([r!]);
    const t = (await waitForJobs(sql, [id!], 30_000)).get(id!)!;
    idle.push({
      e2e: t.completedAt - r!.postStartMs,
      wait: t.startedAt - t.createdAt,
      processing: t.completedAt - t.startedAt,
      post: r!.postEndMs - r!.postStartMs,
    });
  }
  const idleRender = await renderInProcess(idlePrompts, 1);
  const idleOverhead = idle.map((j, i) => j.e2e - idleRender.ms[i]!);

  // (b) A burst: every person's jobs submitted at once, interleaved.
  const jobs: { token: string; prompt: string }[] = [];
  for (let i = 0; i < options.burstPerPerson; i++) {
    options.burstPeople.forEach((p, k) => {
      jobs.push({ token: p.token, prompt: promptFor(`p${k}`, i) });
    });
  }
  const cpuBefore = options.cpu?.();
  const submitted = await worker.submit({ url: submitUrl, jobs, concurrency: 10 });
  const ids = accepted(submitted);
  const times = await waitForJobs(sql, ids, 600_000);
  const cpuAfter = options.cpu?.();
  const rows = ids.map((id) => times.get(id)!);
  const failed = rows.filter((r) => r.status !== "completed").length;
  const firstPost = Math.min(...submitted.map((s) => s.postStartMs));
  const lastDone = Math.max(...rows.map((r) => r.completedAt));
  const burstJobsPerSec = rows.length / ((lastDone - firstPost) / 1000);
  const burstRender = await renderInProcess(
    jobs.map((j) => j.prompt),
    options.concurrency,
  );
  const e2e = rows.map((r, i) => r.completedAt - submitted[i]!.postStartMs);

  // (c) Fairness: one person queues many jobs; others then ask for one each.
  const heavyJobs = Array.from({ length: options.heavyJobs }, (_, i) => ({ token: options.heavy.token, prompt: promptFor("heavy", i) }));
  const heavySubmitted = await worker.submit({ url: submitUrl, jobs: heavyJobs, concurrency: 10 });
  const heavyIds = accepted(heavySubmitted);
  const [backlog] = await sql<{ n: number }[]>`select count(*)::int as n from image_jobs where id = any(${heavyIds}::uuid[]) and status = 'queued'`;
  const probes: { wait: number; e2e: number; backlogAhead: number }[] = [];
  for (const [k, person] of options.light.entries()) {
    const [ahead] = await sql<{ n: number }[]>`select count(*)::int as n from image_jobs where id = any(${heavyIds}::uuid[]) and status = 'queued'`;
    const [r] = await worker.submit({ url: submitUrl, jobs: [{ token: person.token, prompt: promptFor(`light${k}`, 0) }], concurrency: 1 });
    const [id] = accepted([r!]);
    const t = (await waitForJobs(sql, [id!], 60_000)).get(id!)!;
    probes.push({ wait: t.startedAt - t.createdAt, e2e: t.completedAt - r!.postStartMs, backlogAhead: ahead!.n });
    await sleep(500);
  }
  const heavyTimes = await waitForJobs(sql, heavyIds, 600_000);
  const heavyRows = heavyIds.map((id) => heavyTimes.get(id)!);
  const heavyFirst = Math.min(...heavySubmitted.map((s) => s.postStartMs));
  const heavyDone = Math.max(...heavyRows.map((r) => r.completedAt));

  // Expected bound: the heavy person holds at most `perUser` of the `concurrency`
  // slots, so another person's job finds a free slot at once and should wait no
  // longer than a job on an idle queue (5a's queue wait, p99). Tolerance: one
  // render (p99, alone), i.e. the scheduler may be off by at most one job.
  // A FIFO queue would make it wait for the whole backlog instead.
  const renderAloneP99 = percentile(idleRender.ms, 99);
  const idleWaitP99 = percentile(
    idle.map((j) => j.wait),
    99,
  );
  const freeSlots = options.concurrency - Math.min(options.perUser, options.concurrency);
  const boundMs = freeSlots > 0 ? idleWaitP99 + renderAloneP99 : Number.POSITIVE_INFINITY;
  const fifoEstimateMs = (backlog!.n / options.concurrency) * median(burstRender.ms);
  const probeWaitMax = Math.max(...probes.map((p) => p.wait));

  return {
    idle: {
      jobs: idle.length,
      postMs: dist(idle.map((j) => j.post)),
      e2eMs: dist(idle.map((j) => j.e2e)),
      renderMs: dist(idleRender.ms),
      e2eMinusRenderMs: dist(idleOverhead),
      queueWaitMs: dist(idle.map((j) => j.wait)),
      processingMs: dist(idle.map((j) => j.processing)),
    },
    burst: {
      people: options.burstPeople.length,
      jobs: rows.length,
      failed,
      jobsPerSec: round(burstJobsPerSec, 2),
      rendererAloneJobsPerSec: round(burstRender.jobsPerSec, 2),
      // CPU per job: the server (POST, runner, render, storage) and PostgreSQL, against the renderer alone.
      cpuMsPerJob:
        cpuBefore && cpuAfter
          ? {
              node: round((cpuAfter.nodeMs - cpuBefore.nodeMs) / rows.length, 1),
              postgres: round((cpuAfter.postgresMs - cpuBefore.postgresMs) / rows.length, 1),
              rendererAlone: round(burstRender.cpuMsPerJob, 1),
            }
          : null,
      throughputRatio: round(burstJobsPerSec / burstRender.jobsPerSec, 3),
      postMs: dist(submitted.map((s) => s.postEndMs - s.postStartMs)),
      e2eMs: dist(e2e),
      renderMs: dist(burstRender.ms),
      e2eMinusRenderMs: dist(e2e.map((v, i) => v - burstRender.ms[i]!)),
      queueWaitMs: dist(rows.map((r) => r.startedAt - r.createdAt)),
      processingMs: dist(rows.map((r) => r.completedAt - r.startedAt)),
      processingMinusRenderMs: dist(rows.map((r, i) => r.completedAt - r.startedAt - burstRender.ms[i]!)),
    },
    fairness: {
      heavyJobs: heavyRows.length,
      heavyBacklogWhenProbing: backlog!.n,
      heavyJobsPerSec: round(heavyRows.length / ((heavyDone - heavyFirst) / 1000), 2),
      probes: probes.map((p) => ({ waitMs: round(p.wait, 1), e2eMs: round(p.e2e, 1), heavyQueuedAhead: p.backlogAhead })),
      probeWaitMaxMs: round(probeWaitMax, 1),
      boundMs: round(boundMs, 1),
      fifoEstimateMs: round(fifoEstimateMs, 0),
      withinBound: probeWaitMax <= boundMs,
      concurrency: options.concurrency,
      perUser: options.perUser,
    },
  };
}

export type QueueResult = Awaited<ReturnType<typeof queueScenario>>;
