// Messages between the bench (parent) and the load worker (child process):
// the load generator runs in its own process so it never shares an event loop
// with the bench's bookkeeping.

export type LoadTarget = { url: string; headers?: Record<string, string> };

export type AutocannonRequest = LoadTarget & { type: "autocannon"; connections: number; seconds: number };
export type AutocannonSummary = {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  // Filled in by the bench when it watches the server's CPU during the run.
  cpuMsPerRequest?: { node: number; postgres: number };
};

// Alternates between the targets one request at a time, so both see the same machine.
export type TtfbRequest = { type: "ttfb"; targets: (LoadTarget & { name: string })[]; samples: number; warmup: number };
export type TtfbSummary = Record<string, { ttfbMs: number[]; totalMs: number[]; statuses: Record<string, number> }>;

export type SubmitRequest = {
  type: "submit";
  url: string;
  jobs: { token: string; prompt: string }[];
  concurrency: number;
};
export type SubmitResult = { index: number; status: number; jobId: string | null; postStartMs: number; postEndMs: number }[];

export type WorkerRequest = AutocannonRequest | TtfbRequest | SubmitRequest;
export type WorkerMessage = { id: number; request: WorkerRequest };
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

// The benchmark must never send traffic anywhere but this machine.
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1") throw new Error(`refusing to send benchmark traffic to ${host}: 127.0.0.1 only`);
}
