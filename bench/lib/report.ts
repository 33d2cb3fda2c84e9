// The printed tables and bench/results.json.
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import type { AutocannonSummary } from "./load-protocol";
import { round } from "./stats";

export type Check = {
  id: string;
  scenario: string;
  measured: string;
  ratio: number | null;
  target: string;
  // null: reported only, or not measurable.
  pass: boolean | null;
  note?: string;
};

export type RunRow = { name: string; connections: number; summary: AutocannonSummary };

export function machine() {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpuModel;
  } catch {}
  let loadavg = "";
  try {
    loadavg = readFileSync("/proc/loadavg", "utf8").trim();
  } catch {}
  return { nproc: cpus().length, memoryGb: round(totalmem() / 1024 ** 3, 1), cpuModel, node: process.version, loadavgAtStart: loadavg };
}

// The machine's CPU time so far (/proc/stat, in clock ticks): `steal` is time the
// hypervisor ran something else while this machine wanted a CPU. A run with
// more than a few percent stolen was not on a quiet machine: its absolute
// numbers, and often its ratios, move with the neighbours.
export function cpuTimes(): { steal: number; total: number } | null {
  try {
    const fields = /^cpu\s+(.+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]?.split(/\s+/).map(Number);
    if (!fields || fields.length < 8) return null;
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    return { steal: fields[7]!, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

export function stealPercent(from: ReturnType<typeof cpuTimes>, to: ReturnType<typeof cpuTimes>): number | null {
  if (!from || !to || to.total <= from.total) return null;
  return round((100 * (to.steal - from.steal)) / (to.total - from.total), 1);
}

function table(headers: string[], rows: (string | number)[][], alignRight: boolean[]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (alignRight[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function printRuns(runs: RunRow[]): void {
  const cpu = (r: RunRow, k: "node" | "postgres") => (r.summary.cpuMsPerRequest ? round(r.summary.cpuMsPerRequest[k], 2) : "-");
  console.log(
    `\n${table(
      ["load run (autocannon)", "conn", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "CPU ms/req: node", "postgres"],
      runs.map((r) => [
        r.name,
        r.connections,
        round(r.summary.reqPerSec, 0),
        round(r.summary.p50, 1),
        round(r.summary.p99, 1),
        r.summary.non2xx,
        r.summary.errors,
        cpu(r, "node"),
        cpu(r, "postgres"),
      ]),
      [false, true, true, true, true, true, true, true, true],
    )}`,
  );
}

export function printChecks(checks: Check[]): void {
  const verdict = (c: Check) => (c.pass === null ? (c.note?.startsWith("not measurable") ? "n/a" : "info") : c.pass ? "PASS" : "MISS");
  console.log(
    `\n${table(
      ["#", "scenario", "measured", "ratio", "target", "result"],
      checks.map((c) => [c.id, c.scenario, c.measured, c.ratio === null ? "-" : round(c.ratio, 2), c.target, verdict(c)]),
      [false, false, false, true, false, false],
    )}`,
  );
  for (const c of checks) if (c.note) console.log(`  ${c.id}: ${c.note}`);
}

export function printQueue(q: { idle: Record<string, unknown>; burst: Record<string, unknown>; fairness: { probes: unknown[]; [k: string]: unknown } }): void {
  const distRow = (name: string, d: any) => [name, d.p50, d.p99, d.max, d.n];
  const rows: (string | number)[][] = [];
  for (const [phase, data] of [
    ["idle", q.idle],
    ["burst", q.burst],
  ] as const) {
    for (const [k, v] of Object.entries(data)) if (v && typeof v === "object" && "p50" in v) rows.push(distRow(`${phase}: ${k}`, v));
  }
  console.log(`\n${table(["queue timing (ms)", "p50", "p99", "max", "n"], rows, [false, true, true, true, true])}`);
  const f = q.fairness as Record<string, unknown> & { probes: { waitMs: number; e2eMs: number; heavyQueuedAhead: number }[] };
  console.log(
    `fairness: ${f.heavyJobs} jobs from one person at ${f.heavyJobsPerSec} jobs/s (${f.perUser} of ${f.concurrency} slots); ` +
      `another person's single job waited ${f.probes.map((p) => `${p.waitMs} ms (${p.heavyQueuedAhead} queued)`).join(", ")}; ` +
      `bound ${f.boundMs} ms, FIFO ≈ ${f.fifoEstimateMs} ms`,
  );
}
