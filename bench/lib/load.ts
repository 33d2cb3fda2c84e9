// The bench's side of the load worker: sends it work over IPC and combines
// autocannon runs. `group` measures a scenario side by side with its baseline,
// in alternating rounds (A B, then B A) so a burst of background load from
// other processes on the machine falls on both.
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import type { CpuSnapshot } from "./cpu";
import type {
  AutocannonRequest,
  AutocannonSummary,
  LoadTarget,
  SubmitRequest,
  SubmitResult,
  TtfbRequest,
  TtfbSummary,
  WorkerReply,
  WorkerRequest,
} from "./load-protocol";
import { root } from "./server";

export type GroupOptions = { connections: number; seconds: number; rounds: number; warmupSeconds: number };
export type NamedTarget = LoadTarget & { name: string };

export function combine(runs: AutocannonSummary[]): AutocannonSummary {
  const requests = runs.reduce((a, r) => a + r.requests, 0);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  const weighted = (key: "p50" | "p90" | "p99" | "mean") => runs.reduce((a, r) => a + r[key] * r.requests, 0) / Math.max(1, requests);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    requests,
    seconds,
    reqPerSec: requests / seconds,
    p50: weighted("p50"),
    p90: weighted("p90"),
    p99: weighted("p99"),
    mean: weighted("mean"),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    timeouts: runs.reduce((a, r) => a + r.timeouts, 0),
    statusCodes,
  };
}

export class LoadWorker {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.child = fork(path.join(root, "bench/load-worker.ts"), [], {
      cwd: root,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`load worker: ${reply.error}`));
    });
    this.child.on("exit", (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load worker exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  private send<T>(request: WorkerRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, request });
    });
  }

  autocannon(request: Omit<AutocannonRequest, "type">): Promise<AutocannonSummary> {
    return this.send({ type: "autocannon", ...request });
  }

  ttfb(request: Omit<TtfbRequest, "type">): Promise<TtfbSummary> {
    return this.send({ type: "ttfb", ...request });
  }

  submit(request: Omit<SubmitRequest, "type">): Promise<SubmitResult> {
    return this.send({ type: "submit", ...request });
  }

  // Measures targets side by side: `rounds` slices each, order reversed every
  // other round (A B C, C B A, ...), after a short warm-up of each.
  async group(targets: NamedTarget[], options: GroupOptions, cpu?: () => CpuSnapshot): Promise<Record<string, AutocannonSummary>> {
    const slice = Math.max(1, Math.round(options.seconds / options.rounds));
    for (const t of targets) if (options.warmupSeconds > 0) await this.autocannon({ ...t, connections: options.connections, seconds: options.warmupSeconds });
    const runs = new Map<string, AutocannonSummary[]>(targets.map((t) => [t.name, []]));
    const spent = new Map<string, CpuSnapshot>(targets.map((t) => [t.name, { nodeMs: 0, postgresMs: 0 }]));
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const before = cpu?.();
        runs.get(t.name)!.push(await this.autocannon({ url: t.url, headers: t.headers, connections: options.connections, seconds: slice }));
        const after = cpu?.();
        if (before && after) {
          const total = spent.get(t.name)!;
          total.nodeMs += after.nodeMs - before.nodeMs;
          total.postgresMs += after.postgresMs - before.postgresMs;
        }
      }
    }
    return Object.fromEntries(
      [...runs].map(([name, r]) => {
        const summary = combine(r);
        const used = spent.get(name)!;
        if (cpu) summary.cpuMsPerRequest = { node: used.nodeMs / summary.requests, postgres: used.postgresMs / summary.requests };
        return [name, summary];
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
  }
}
