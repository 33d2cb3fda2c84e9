// The job runners behind one interface. lib/ knows only this interface and its
// own in-process implementation (runner.ts); the Inngest implementation lives
// in inngest/runner.ts and is registered from the top (instrumentation.ts,
// app/api/inngest/route.ts), so dependencies flow one way: inngest/ → lib/,
// never back. The registry is on globalThis because Next bundles the
// instrumentation hook and each route handler separately.
import "server-only";
import { getEnv } from "@/lib/env";
import { getEmbeddedRunner } from "./runner";
import type { JobRef } from "./workflow";

export type RunnerName = "embedded" | "inngest";

export interface JobRunner {
  readonly name: RunnerName;
  // Hands a queued job to the runner. Throws if the job could not be handed
  // over; the caller then fails the job visibly (lib/jobs/service.ts).
  dispatch(ref: JobRef): Promise<void>;
  // Stops a deleted job's run. Best effort, never throws: a run that is not
  // stopped finds the job gone and does nothing.
  cancel(ref: JobRef): Promise<void>;
  // Start-up and shutdown (lib/boot.ts); start returns how many jobs it resumed.
  start?(): Promise<number>;
  stop?(): void;
  // For readiness: is it accepting work?
  isRunning(): boolean;
}

const registry = globalThis as unknown as { __darkroomRunners?: Partial<Record<RunnerName, JobRunner>> };

export function registerRunner(runner: JobRunner): void {
  registry.__darkroomRunners ??= {};
  registry.__darkroomRunners[runner.name] = runner;
}

// The runner JOB_RUNNER selects. The embedded one is lib/'s own and needs no registration.
export function getRunner(): JobRunner {
  const name = getEnv().JOB_RUNNER;
  const runner = name === "embedded" ? getEmbeddedRunner() : registry.__darkroomRunners?.[name];
  if (!runner) throw new Error(`JOB_RUNNER=${name}, but no ${name} runner was registered at start-up`);
  return runner;
}
