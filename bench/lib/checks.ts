// Turns the measurements into the scenario table: each scenario as a ratio
// against its baseline from the same run, with its target and verdict.
import type { AutocannonSummary, TtfbSummary } from "./load-protocol";
import type { QueueResult } from "./queue";
import type { Check } from "./report";
import { median, percentile, round } from "./stats";

export type Measurements = {
  status: Record<"health/live" | "auth only (404)" | "status bearer" | "status cookie" | "list cookie", AutocannonSummary>;
  list: Record<"first big" | "first small" | "deep big" | "deep small", AutocannonSummary>;
  rows: { big: number; small: number };
  deepAfter: number;
  gallery: { ttfb: TtfbSummary; big: string; small: string } | { status: number };
  queue: QueueResult;
  memory: { hwmMb: number; peakByPhaseMb: Record<string, number> };
};

const r = (n: number) => round(n, 0);
const ms = (n: number) => `${round(n, 1)} ms`;

export function buildChecks(m: Measurements): Check[] {
  const checks: Check[] = [];
  const { "health/live": hs, "status bearer": sb, "status cookie": sc, "list cookie": lc } = m.status;
  checks.push({
    id: "1",
    scenario: "status read (bearer) ÷ health/live, req/s",
    measured: `${r(sb.reqPerSec)} vs ${r(hs.reqPerSec)} req/s; p50 ${ms(sb.p50)} vs ${ms(hs.p50)}; p99 ${ms(sb.p99)} vs ${ms(hs.p99)}`,
    ratio: sb.reqPerSec / hs.reqPerSec,
    target: "≥ 0.7",
    pass: sb.reqPerSec / hs.reqPerSec >= 0.7,
  });
  const statusErrors = sb.non2xx + sb.errors + sc.non2xx + sc.errors + lc.non2xx + lc.errors;
  checks.push({
    id: "1b",
    scenario: "status and list reads: non-2xx + errors",
    measured: `${statusErrors}`,
    ratio: null,
    target: "0",
    pass: statusErrors === 0,
  });
  checks.push({
    id: "2",
    scenario: "status read (cookie) ÷ status (bearer), req/s",
    measured: `${r(sc.reqPerSec)} vs ${r(sb.reqPerSec)} req/s; p50 ${ms(sc.p50)}; p99 ${ms(sc.p99)}`,
    ratio: sc.reqPerSec / sb.reqPerSec,
    target: "≥ 0.95",
    pass: sc.reqPerSec / sb.reqPerSec >= 0.95,
  });
  checks.push({
    id: "2b",
    scenario: "list first page (20, cookie) ÷ health/live, req/s",
    measured: `${r(lc.reqPerSec)} vs ${r(hs.reqPerSec)} req/s; p50 ${ms(lc.p50)} vs ${ms(hs.p50)}`,
    ratio: lc.reqPerSec / hs.reqPerSec,
    target: "≥ 0.6",
    pass: lc.reqPerSec / hs.reqPerSec >= 0.6,
  });
  const cpuRatio = lc.cpuMsPerRequest && hs.cpuMsPerRequest ? lc.cpuMsPerRequest.node / hs.cpuMsPerRequest.node : null;
  checks.push({
    id: "2c",
    scenario: "Node CPU per list request (cookie) ÷ per health/live request",
    measured:
      lc.cpuMsPerRequest && hs.cpuMsPerRequest
        ? `${ms(lc.cpuMsPerRequest.node)} vs ${ms(hs.cpuMsPerRequest.node)} (PostgreSQL ${ms(lc.cpuMsPerRequest.postgres)} per list request)`
        : "not measured",
    ratio: cpuRatio,
    target: "≤ 2",
    pass: cpuRatio === null ? null : cpuRatio <= 2,
  });

  const L = m.list;
  const big = `${r(m.rows.big / 1000)}k`;
  const small = `${r(m.rows.small / 1000)}k`;
  checks.push({
    id: "3a",
    scenario: `list first page p50, table @${big} ÷ @${small} rows`,
    measured: `${ms(L["first big"].p50)} vs ${ms(L["first small"].p50)} (${r(L["first big"].reqPerSec)} vs ${r(L["first small"].reqPerSec)} req/s)`,
    ratio: L["first big"].p50 / L["first small"].p50,
    target: "≤ 1.2",
    pass: L["first big"].p50 / L["first small"].p50 <= 1.2,
  });
  checks.push({
    id: "3b",
    scenario: `list after ${m.deepAfter} ÷ first page, p50 @${big}`,
    measured: `${ms(L["deep big"].p50)} vs ${ms(L["first big"].p50)} (@${small}: ${ms(L["deep small"].p50)} vs ${ms(L["first small"].p50)})`,
    ratio: L["deep big"].p50 / L["first big"].p50,
    target: "≤ 1.2",
    pass: L["deep big"].p50 / L["first big"].p50 <= 1.2,
  });
  const listErrors = Object.values(L).reduce((a, s) => a + s.non2xx + s.errors, 0);
  checks.push({ id: "3c", scenario: "list runs: non-2xx + errors", measured: `${listErrors}`, ratio: null, target: "0", pass: listErrors === 0 });
  if ("ttfb" in m.gallery) {
    const b = m.gallery.ttfb[m.gallery.big]!;
    const s = m.gallery.ttfb[m.gallery.small]!;
    const ratio = median(b.ttfbMs) / median(s.ttfbMs);
    checks.push({
      id: "4",
      scenario: `gallery TTFB p50, ${m.gallery.big.replace("gallery ", "")} ÷ ${m.gallery.small.replace("gallery ", "")}`,
      measured: `${ms(median(b.ttfbMs))} vs ${ms(median(s.ttfbMs))} (p99 ${ms(percentile(b.ttfbMs, 99))} vs ${ms(percentile(s.ttfbMs, 99))})`,
      ratio,
      target: "≤ 1.5",
      pass: ratio <= 1.5,
    });
  } else {
    checks.push({
      id: "4",
      scenario: "gallery TTFB",
      measured: `GET /gallery answered HTTP ${m.gallery.status}`,
      ratio: null,
      target: "≤ 1.5",
      pass: null,
      note: "not measurable yet: /gallery did not render a gallery",
    });
  }

  const q = m.queue;
  checks.push({
    id: "5a",
    scenario: "queue, idle: (POST → completed) − render, p50",
    measured: `p50 ${ms(q.idle.e2eMinusRenderMs.p50)}, p99 ${ms(q.idle.e2eMinusRenderMs.p99)} (render alone p50 ${ms(q.idle.renderMs.p50)})`,
    ratio: null,
    target: "≤ 20 ms",
    pass: q.idle.e2eMinusRenderMs.p50 <= 20,
  });
  checks.push({
    id: "5b",
    scenario: `queue, ${q.burst.jobs} jobs from ${q.burst.people}: jobs/s ÷ renderer alone`,
    measured:
      `${q.burst.jobsPerSec} vs ${q.burst.rendererAloneJobsPerSec} jobs/s; (POST → completed) − render p50 ${ms(q.burst.e2eMinusRenderMs.p50)}, ` +
      `p99 ${ms(q.burst.e2eMinusRenderMs.p99)}; per job, processing − render p50 ${ms(q.burst.processingMinusRenderMs.p50)}` +
      (q.burst.cpuMsPerJob
        ? `; CPU per job: server ${q.burst.cpuMsPerJob.node} ms + PostgreSQL ${q.burst.cpuMsPerJob.postgres} ms vs renderer alone ${q.burst.cpuMsPerJob.rendererAlone} ms`
        : ""),
    ratio: q.burst.throughputRatio,
    target: "≥ 0.9",
    pass: q.burst.failed === 0 && q.burst.throughputRatio >= 0.9,
    note: q.burst.failed ? `${q.burst.failed} jobs failed` : undefined,
  });
  checks.push({
    id: "5c",
    scenario: `fairness: one job's wait, ${q.fairness.heavyBacklogWhenProbing} of another's queued`,
    measured: `max ${ms(q.fairness.probeWaitMaxMs)} over ${q.fairness.probes.length} probes (FIFO ≈ ${ms(q.fairness.fifoEstimateMs)})`,
    ratio: null,
    target: `≤ ${ms(q.fairness.boundMs)}`,
    pass: q.fairness.withinBound,
  });
  checks.push({
    id: "6",
    scenario: "next-server peak RSS (VmHWM)",
    measured: `${m.memory.hwmMb} MiB; peak by phase: ${Object.entries(m.memory.peakByPhaseMb)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    ratio: null,
    target: "≤ 350 MiB",
    pass: m.memory.hwmMb <= 350,
  });
  return checks;
}
