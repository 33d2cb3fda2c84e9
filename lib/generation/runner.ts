// The embedded job runner: runs the generation workflow in this process with
// retries (exponential backoff), a global and a per-person concurrency limit,
// and, at start-up, resumes jobs left queued or processing by a crash.
// Step results are memoised across attempts, as Inngest does, so a retry
// re-runs only the step that failed.
import "server-only";
import { getEnv } from "@/lib/env";
import { requeueInterruptedJobs } from "@/lib/jobs/queries";
import { ownersWithUnfinishedJobs } from "@/lib/jobs/unfinished";
import { errorText, logger } from "@/lib/log";
import type { JobRunner } from "./runners";
import { generateImageWorkflow, isRetryable, type JobRef, markJobFailed, type StepRunner } from "./workflow";

function memoisingStep(memo: Map<string, unknown>): StepRunner {
  return {
    async run(id, fn) {
      if (memo.has(id)) return memo.get(id) as never;
      const value = await fn();
      memo.set(id, value);
      return value;
    },
  };
}

const SWEEP_LIMIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class EmbeddedRunner implements JobRunner {
  readonly name = "embedded" as const;
  private readonly queue: JobRef[] = [];
  private readonly known = new Set<string>(); // queued or running here: a second dispatch is a no-op
  private readonly runningByUser = new Map<string, number>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  started = false;
  stopped = false;

  constructor(private readonly options: { concurrency: number; perUser: number; maxAttempts: number; retryBaseMs: number }) {}

  enqueue(ref: JobRef): void {
    if (this.stopped || this.known.has(ref.jobId)) return;
    this.known.add(ref.jobId);
    this.queue.push(ref);
    this.pump();
  }

  async dispatch(ref: JobRef): Promise<void> {
    this.enqueue(ref);
  }

  // Nothing to stop: a deleted job's run finds no row at its next step and ends.
  async cancel(): Promise<void> {}

  isRunning(): boolean {
    return this.started && !this.stopped;
  }

  get pending(): number {
    return this.queue.length + this.running;
  }

  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // Fairness: the next job is the oldest whose owner is under the per-person
  // limit, so one person's 400 jobs cannot hold back another person's one.
  private pump(): void {
    while (this.running < this.options.concurrency) {
      const index = this.queue.findIndex((ref) => (this.runningByUser.get(ref.userId) ?? 0) < this.options.perUser);
      if (index === -1) return;
      const [ref] = this.queue.splice(index, 1);
      this.run(ref!);
    }
  }

  private run(ref: JobRef): void {
    this.running++;
    this.runningByUser.set(ref.userId, (this.runningByUser.get(ref.userId) ?? 0) + 1);
    void this.execute(ref).finally(() => {
      this.running--;
      const left = (this.runningByUser.get(ref.userId) ?? 1) - 1;
      if (left === 0) this.runningByUser.delete(ref.userId);
      else this.runningByUser.set(ref.userId, left);
      this.known.delete(ref.jobId);
      this.pump();
      if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  private async execute(ref: JobRef): Promise<void> {
    const memo = new Map<string, unknown>();
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) return; // resumed by the next start
      try {
        await generateImageWorkflow(memoisingStep(memo), ref);
        return;
      } catch (error) {
        const final = attempt >= this.options.maxAttempts || !isRetryable(error);
        logger.warn({ event: "generation_attempt_failed", job_id: ref.jobId, attempt, final, error: errorText(error) });
        if (final) {
          await markJobFailed(ref, error).catch((e) => logger.error({ event: "mark_failed_failed", job_id: ref.jobId, error: errorText(e) }));
          return;
        }
        await sleep(this.options.retryBaseMs * 2 ** (attempt - 1));
      }
    }
  }

  // Every job still queued or processing that this process is not running
  // gets run again: after a restart, and periodically, so a job whose final
  // "failed" write was lost to a database outage is never left hanging.
  async resumeUnfinished(): Promise<number> {
    let resumed = 0;
    for (const userId of await ownersWithUnfinishedJobs()) {
      for (const jobId of await requeueInterruptedJobs(userId, [...this.known])) {
        this.enqueue({ jobId, userId });
        resumed++;
      }
    }
    return resumed;
  }

  async start(sweepIntervalMs: number = getEnv().JOB_SWEEP_INTERVAL_MS): Promise<number> {
    const resumed = await this.resumeUnfinished();
    this.started = true;
    const sweep = () => {
      this.sweepTimer = setTimeout(async () => {
        if (this.stopped) return;
        try {
          // A sweep that never settles (a database call stranded by an outage)
          // must not end the sweeping: past its limit the next one is scheduled anyway.
          let limit: NodeJS.Timeout | undefined;
          const timedOut = new Promise<never>((_, reject) => {
            limit = setTimeout(() => reject(new Error("the sweep did not finish in time")), SWEEP_LIMIT_MS);
          });
          const n = await Promise.race([this.resumeUnfinished(), timedOut]).finally(() => clearTimeout(limit));
          if (n > 0) logger.warn({ event: "runner_sweep_resumed", jobs: n });
        } catch (error) {
          logger.warn({ event: "runner_sweep_failed", error: errorText(error) });
        }
        sweep();
      }, sweepIntervalMs);
      this.sweepTimer.unref();
    };
    sweep();
    return resumed;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    clearTimeout(this.sweepTimer);
  }
}

// One runner per process, shared by the instrumentation hook and route handlers.
const globalForRunner = globalThis as unknown as { __darkroomRunner?: EmbeddedRunner };

export function getEmbeddedRunner(): EmbeddedRunner {
  if (!globalForRunner.__darkroomRunner) {
    const env = getEnv();
    globalForRunner.__darkroomRunner = new EmbeddedRunner({
      concurrency: env.JOB_CONCURRENCY,
      perUser: env.JOB_USER_CONCURRENCY,
      maxAttempts: env.JOB_MAX_ATTEMPTS,
      retryBaseMs: env.JOB_RETRY_BASE_MS,
    });
  }
  return globalForRunner.__darkroomRunner;
}
