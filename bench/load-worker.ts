// The load generator, run as a child process of bench/run.ts: autocannon runs,
// TTFB sampling and job submission bursts, each answered as JSON over IPC.
import http from "node:http";
import autocannon from "autocannon";
import {
  type AutocannonRequest,
  type AutocannonSummary,
  assertLoopback,
  type SubmitRequest,
  type SubmitResult,
  type TtfbRequest,
  type TtfbSummary,
  type WorkerMessage,
  type WorkerReply,
} from "./lib/load-protocol";

const epochMs = () => performance.timeOrigin + performance.now();

async function runAutocannon(request: AutocannonRequest): Promise<AutocannonSummary> {
  assertLoopback(request.url);
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    headers: request.headers,
    timeout: 30,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    requests: result.requests.total,
    seconds: result.duration,
    reqPerSec: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.mean,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; ttfbMs: number; totalMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent, headers }, (res) => {
      const ttfbMs = performance.now() - started;
      res.on("data", () => {});
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ttfbMs, totalMs: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
  });
}

async function runTtfb(request: TtfbRequest): Promise<TtfbSummary> {
  for (const t of request.targets) assertLoopback(t.url);
  const out: TtfbSummary = {};
  for (const t of request.targets) out[t.name] = { ttfbMs: [], totalMs: [], statuses: {} };
  for (let i = 0; i < request.warmup + request.samples; i++) {
    // Alternate the order too, so neither target always runs right after the other.
    const order = i % 2 === 0 ? request.targets : [...request.targets].reverse();
    for (const t of order) {
      const r = await timedGet(t.url, t.headers);
      if (i < request.warmup) continue;
      const slot = out[t.name]!;
      slot.ttfbMs.push(r.ttfbMs);
      slot.totalMs.push(r.totalMs);
      slot.statuses[r.status] = (slot.statuses[r.status] ?? 0) + 1;
    }
  }
  return out;
}

async function runSubmit(request: SubmitRequest): Promise<SubmitResult> {
  assertLoopback(request.url);
  const results: SubmitResult = [];
  let next = 0;
  const worker = async () => {
    while (next < request.jobs.length) {
      const index = next++;
      const job = request.jobs[index]!;
      const postStartMs = epochMs();
      const res = await fetch(request.url, {
        method: "POST",
        headers: { authorization: `Bearer ${job.token}`, "content-type": "application/json" },
        body: JSON.stringify({ prompt: job.prompt }),
      });
      const body = (await res.json().catch(() => null)) as { data?: { job_id?: string } } | null;
      results.push({ index, status: res.status, jobId: body?.data?.job_id ?? null, postStartMs, postEndMs: epochMs() });
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.concurrency, request.jobs.length) }, worker));
  return results.sort((a, b) => a.index - b.index);
}

process.on("message", async (message: WorkerMessage) => {
  let reply: WorkerReply;
  try {
    const r = message.request;
    const result = r.type === "autocannon" ? await runAutocannon(r) : r.type === "ttfb" ? await runTtfb(r) : await runSubmit(r);
    reply = { id: message.id, ok: true, result };
  } catch (error) {
    reply = { id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send!(reply);
});

// The bench going away (even by SIGKILL) closes the IPC channel: stop with it.
process.on("disconnect", () => process.exit(0));
