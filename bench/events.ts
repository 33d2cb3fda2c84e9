// `npx tsx bench/events.ts` (part of `npm run bench`): live updates (issue 12).
//
// 1. Latency: from a job's change committing in the database to the `job` event
//    arriving on its owner's stream (GET /api/events), p50 and p99; against the
//    polling the stream replaces (the studio's schedule in use-live-jobs.ts: a
//    first poll after 600 ms, ×1.6 while nothing changes, at most 8 s), i.e. the
//    wait until the next poll for a change at a random moment, plus the measured
//    time of one GET /api/jobs.
// 2. Idle cost: the server's memory (RSS) and CPU (next-server and its
//    PostgreSQL) with 1,000 streams open and idle (200 people × 5, the most a
//    person may open), over a window of two heartbeats (each a credential re-check).
//
// Prints a table and writes bench/events-results.json.
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import postgres from "postgres";
import { config } from "./lib/config";
import { cpuSnapshot } from "./lib/cpu";
import { type Account, createAccounts } from "./lib/people";
import { type BenchServer, createDataDir, databaseUrl, ensureBuild, launchServer, root } from "./lib/server";
import { percentile, round, sleep } from "./lib/stats";

const SAMPLES = Number(process.env.BENCH_EVENT_SAMPLES ?? 200);
const IDLE_PEOPLE = 200;
const STREAMS_PER_PERSON = 5;
const HEARTBEAT_MS = 15_000;
const log = (message: string) => console.log(`[events ${new Date().toISOString().slice(11, 19)}] ${message}`);

type Stream = { request: http.ClientRequest; onEvent: (fn: (event: string, data: any) => void) => void };

function openStream(baseUrl: string, token: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const listeners: ((event: string, data: any) => void)[] = [];
    const request = http.get(`${baseUrl}/api/events`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events: HTTP ${res.statusCode}`));
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let cut = buffer.indexOf("\n\n");
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) {
            const parsed = JSON.parse(data);
            for (const l of listeners) l(event, parsed);
            if (event === "ready") resolve(stream);
          }
          cut = buffer.indexOf("\n\n");
        }
      });
      res.on("error", () => {});
    });
    request.on("error", reject);
    const stream: Stream = { request, onEvent: (fn) => listeners.push(fn) };
  });
}

// The studio's polling schedule (app/_components/studio/use-live-jobs.ts).
function pollTimes(untilMs: number): number[] {
  const times: number[] = [];
  let t = 0;
  let delay = 600;
  while (t < untilMs) {
    t += delay;
    times.push(t);
    delay = Math.min(Math.round(delay * 1.6), 8000);
  }
  return times;
}

// For changes at uniformly spread moments in the first `windowMs` after polling (re)started.
function pollingDelays(windowMs: number, requestMs: number, n = 10_000): number[] {
  const polls = pollTimes(windowMs + 10_000);
  return Array.from({ length: n }, (_, i) => {
    const at = ((i + 0.5) / n) * windowMs;
    return polls.find((p) => p >= at)! - at + requestMs;
  });
}

async function main() {
  const distDir = config.distDir;
  log(`build: ${ensureBuild(distDir, config.build)}`);
  const dataDir = await createDataDir();
  let server: BenchServer | undefined;
  const streams: Stream[] = [];
  let sql: postgres.Sql | undefined;
  try {
    server = await launchServer({
      distDir,
      dataDir,
      env: { IMAGE_MODEL: "local/sketch", EVENTS_HEARTBEAT_MS: String(HEARTBEAT_MS), PASSWORD_HASH_CONCURRENCY: "2", LOG_LEVEL: "warn" },
      onUnexpectedExit: (code, signal, tail) => {
        console.error(`server exited (${code ?? signal}):\n${tail}`);
        process.exit(1);
      },
    });
    await server.waitReady();
    const base = server.url;
    sql = postgres(databaseUrl(dataDir), { max: 2, onnotice: () => {} });

    // 1. Latency: commit → event.
    const [owner] = [...(await createAccounts(base, ["latency"])).values()] as [Account];
    const [job] = await sql`insert into image_jobs (user_id, prompt, style, quality, model, status, error)
      values (${owner.id}, 'bench', 'realistic', 'standard', 'local/sketch', 'failed', 'x') returning id`;
    const stream = await openStream(base, owner.token);
    streams.push(stream);
    const waiting = new Map<string, (t: number) => void>();
    stream.onEvent((event, data) => {
      if (event === "job" && data.job_id === job!.id) waiting.get(data.error)?.(performance.now());
    });
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const marker = `change ${i}`;
      const arrived = new Promise<number>((resolve) => waiting.set(marker, resolve));
      await sql`update image_jobs set error = ${marker}, updated_at = now() where id = ${job!.id}`;
      const committed = performance.now();
      latencies.push((await arrived) - committed);
      waiting.delete(marker);
      await sleep(20);
    }
    const listTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const res = await fetch(`${base}/api/jobs?limit=20`, { headers: { authorization: `Bearer ${owner.token}` } });
      await res.arrayBuffer();
      listTimes.push(performance.now() - started);
    }
    const listMs = percentile(listTimes, 50);
    const polling = pollingDelays(20_000, listMs);
    log(`latency: stream p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms`);

    // 2. 1,000 idle streams.
    log(`creating ${IDLE_PEOPLE} people (a password hash each)…`);
    const people = [
      ...(
        await createAccounts(
          base,
          Array.from({ length: IDLE_PEOPLE }, (_, i) => `idle-${i}`),
          4,
        )
      ).values(),
    ];
    await sleep(2000);
    const pid = server.pid();
    const rssMb = () => {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      return Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024);
    };
    const before = { rss: rssMb(), cpu: cpuSnapshot(pid) };
    const idleBaselineMs = 2 * HEARTBEAT_MS + 1000;
    await sleep(idleBaselineMs);
    const baseline = { rss: rssMb(), cpu: cpuSnapshot(pid) };
    log(`opening ${IDLE_PEOPLE * STREAMS_PER_PERSON} streams…`);
    const openStarted = performance.now();
    for (const person of people) {
      const batch = await Promise.all(Array.from({ length: STREAMS_PER_PERSON }, () => openStream(base, person.token)));
      streams.push(...batch);
    }
    const openSeconds = (performance.now() - openStarted) / 1000;
    await sleep(1000);
    const opened = { rss: rssMb(), cpu: cpuSnapshot(pid) };
    await sleep(idleBaselineMs);
    const idle = { rss: rssMb(), cpu: cpuSnapshot(pid) };
    const cpuShare = (a: typeof before, b: typeof before, ms: number) => ({
      node_percent: round(((b.cpu.nodeMs - a.cpu.nodeMs) / ms) * 100, 1),
      postgres_percent: round(((b.cpu.postgresMs - a.cpu.postgresMs) / ms) * 100, 1),
    });

    // Latency again, with the 1,000 streams open.
    const loaded: number[] = [];
    for (let i = 0; i < Math.min(SAMPLES, 100); i++) {
      const marker = `loaded ${i}`;
      const arrived = new Promise<number>((resolve) => waiting.set(marker, resolve));
      await sql`update image_jobs set error = ${marker}, updated_at = now() where id = ${job!.id}`;
      const committed = performance.now();
      loaded.push((await arrived) - committed);
      await sleep(20);
    }

    const results = {
      note: "2 shared cores, other engineers' builds and tests running: absolute numbers are noisy",
      latency_ms: {
        stream: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), samples: latencies.length },
        stream_with_1000_idle_open: { p50: round(percentile(loaded, 50)), p99: round(percentile(loaded, 99)), samples: loaded.length },
        polling_schedule: { p50: round(percentile(polling, 50)), p99: round(percentile(polling, 99)), list_request_p50: round(listMs), window_s: 20 },
      },
      idle_streams: {
        streams: IDLE_PEOPLE * STREAMS_PER_PERSON,
        heartbeat_ms: HEARTBEAT_MS,
        open_seconds: round(openSeconds, 1),
        rss_mb: {
          before: baseline.rss,
          opened: opened.rss,
          after_two_heartbeats: idle.rss,
          per_stream_kb: round(((idle.rss - baseline.rss) * 1024) / (IDLE_PEOPLE * STREAMS_PER_PERSON), 1),
        },
        cpu_without_streams: cpuShare(before, baseline, idleBaselineMs),
        cpu_with_streams: cpuShare(opened, idle, idleBaselineMs),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    writeFileSync(path.join(root, "bench/events-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    for (const s of streams) s.request.destroy();
    await sql?.end({ timeout: 2 }).catch(() => {});
    await server?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
