// The benchmark's settings: sizes, durations, and the knobs read from the environment (docs/performance.md).
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export const config = {
  distDir: process.env.NEXT_DIST_DIR || ".next-bench",
  // auto: build when there is no build or a source file is newer than it.
  build: (process.env.BENCH_BUILD === "1" || process.argv.includes("--build") ? "always" : process.env.BENCH_BUILD === "0" ? "never" : "auto") as
    | "auto"
    | "always"
    | "never",
  // A missed target exits 1 unless BENCH_STRICT=0 (report only).
  strict: process.env.BENCH_STRICT !== "0",
  // Opt-in: a niceness for the servers, their databases, the load worker and the
  // bench (e.g. -5 as root), when other work on the machine drowns the measurements.
  nice: num("BENCH_NICE", 0),
  connections: num("BENCH_CONNECTIONS", 50),
  // Seconds of load per target, split into alternating rounds.
  seconds: num("BENCH_SECONDS", 10),
  rounds: num("BENCH_ROUNDS", 2),
  warmupSeconds: 2,
  smallTable: 10_000,
  bigTable: num("BENCH_ROWS", 1_000_000),
  otherPeople: 1000,
  listPersonJobs: 1000,
  deepAfter: 900,
  galleryBig: 10_000,
  gallerySmall: 10,
  galleryConnections: 10,
  ttfbSamples: 60,
  queuePeople: 10,
  queuePerPerson: 50,
  queueIdleJobs: 20,
  heavyJobs: 400,
  lightPeople: 5,
  // The app's defaults unless the environment says otherwise; the fairness bound uses them.
  jobConcurrency: num("JOB_CONCURRENCY", 4),
  jobUserConcurrency: num("JOB_USER_CONCURRENCY", 2),
  dbPoolMax: num("DB_POOL_MAX", 10),
};
