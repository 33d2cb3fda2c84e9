// Does "export everything" stream with back-pressure? Starts the production
// server on a fresh data folder, gives one person EXPORT_JOBS completed jobs
// with real PNG files (inserted as the database superuser, files written where
// local storage keeps them), downloads the export at a steady pace while
// sampling the server's RSS (/proc/<pid>/status VmRSS, every 100 ms), and
// prints the growth. Exits non-zero when the zip is incomplete, or when the
// growth passes EXPORT_MAX_GROWTH_MB (default 64).
//
//   npx tsx bench/export-memory.ts
//   EXPORT_JOBS=2000 EXPORT_IMAGE_KB=256 EXPORT_CLIENT_MBPS=40 npx tsx bench/export-memory.ts
import { randomBytes } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdir, open, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import sharp from "sharp";
import { createAccount } from "./lib/people";
import { createDataDir, databaseUrl, ensureBuild, launchServer } from "./lib/server";
import { sleep } from "./lib/stats";

const JOBS = Number(process.env.EXPORT_JOBS ?? 2000);
const IMAGE_KB = Number(process.env.EXPORT_IMAGE_KB ?? 256);
// A client slower than the disk: without back-pressure the server would queue what it cannot send.
const CLIENT_MBPS = Number(process.env.EXPORT_CLIENT_MBPS ?? 40);
const MAX_GROWTH_MB = Number(process.env.EXPORT_MAX_GROWTH_MB ?? 64);
const distDir = process.env.NEXT_DIST_DIR || ".next";

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);
const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

// A few distinct PNGs of noise (noise does not compress, so each is about IMAGE_KB).
async function pngs(): Promise<Buffer[]> {
  const side = Math.round(Math.sqrt((IMAGE_KB * 1024) / 3));
  return Promise.all(
    Array.from({ length: 8 }, () =>
      sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
        .png()
        .toBuffer(),
    ),
  );
}

// The names in the zip's central directory (no zip64: fine below 4 GiB and 65,535 entries).
async function zipEntries(file: string): Promise<string[]> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error("no end-of-central-directory record: the zip is truncated");
    const count = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    const dir = Buffer.alloc(dirSize);
    await handle.read(dir, 0, dirSize, dirOffset);
    const names: string[] = [];
    for (let at = 0; names.length < count; ) {
      if (dir.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
      const nameLength = dir.readUInt16LE(at + 28);
      const extra = dir.readUInt16LE(at + 30);
      const comment = dir.readUInt16LE(at + 32);
      names.push(dir.toString("utf8", at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extra + comment;
    }
    return names;
  } finally {
    await handle.close();
  }
}

async function main(): Promise<number> {
  // As in bench/run.ts: BENCH_BUILD=1 always builds, =0 never does, otherwise when the build is missing or stale.
  const buildMode = process.env.BENCH_BUILD === "1" ? "always" : process.env.BENCH_BUILD === "0" ? "never" : "auto";
  console.log(`build: ${ensureBuild(distDir, buildMode)}`);
  const dataDir = await createDataDir();
  const server = await launchServer({
    distDir,
    dataDir,
    env: { LOG_LEVEL: "warn" },
    onUnexpectedExit: (code, signal, tail) => {
      console.error(`FAIL: the server exited (${code ?? signal})\n${tail}`);
      process.exit(1);
    },
  });
  const zipFile = path.join(dataDir, "bench-export.zip");
  let sql: postgres.Sql | undefined;
  try {
    await server.waitReady();
    const person = await createAccount(server.url, "exporter");
    const warmup = await createAccount(server.url, "warmup");

    // Seed: JOBS completed jobs, newest first as the app lists them, each with its image file.
    sql = postgres(databaseUrl(dataDir), { max: 2, onnotice: () => {} });
    const started = Date.now();
    const rows = await sql<{ id: string }[]>`
      insert into image_jobs (user_id, prompt, style, quality, model, status, attempts, content_type, width, height, created_at, updated_at, completed_at)
      select ${person.id}, 'export bench ' || g, 'sketch', 'standard', 'local/sketch', 'completed', 1, 'image/png', 512, 512,
             now() - g * interval '1 second', now() - g * interval '1 second', now() - g * interval '1 second'
      from generate_series(1, ${JOBS}) as g
      returning id`;
    // One image per job in job_images, at the keys lib/generation/workflow.ts writes.
    await sql`insert into job_images (user_id, job_id, index, image_key, thumbnail_key, content_type, width, height, created_at)
              select user_id, id, 0, 'users/' || user_id || '/jobs/' || id || '/image.png',
                     'users/' || user_id || '/jobs/' || id || '/thumbnail.webp', 'image/png', 512, 512, created_at
              from image_jobs where user_id = ${person.id}`;
    const images = await pngs();
    let imageBytes = 0;
    for (const [i, { id }] of rows.entries()) {
      const folder = path.join(dataDir, "files", "users", person.id, "jobs", id);
      await mkdir(folder, { recursive: true });
      const png = images[i % images.length]!;
      await writeFile(path.join(folder, "image.png"), png, { mode: 0o600 });
      imageBytes += png.length;
    }
    console.log(`seeded ${rows.length} completed jobs, ${mb(imageBytes / 1024)} MB of PNG, in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Warm-up: the export route's code is loaded and run once before measuring.
    const warm = await fetch(`${server.url}/api/account/export`, { headers: { authorization: `Bearer ${warmup.token}` } });
    await warm.arrayBuffer();
    const pid = server.pid();
    await sleep(1000);
    const baselineSamples: number[] = [];
    for (let i = 0; i < 10; i++) {
      baselineSamples.push(rssKb(pid));
      await sleep(100);
    }
    const baseline = Math.max(...baselineSamples);

    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, rssKb(pid));
        await sleep(100);
      }
    })();

    const t0 = Date.now();
    const res = await fetch(`${server.url}/api/account/export`, { headers: { authorization: `Bearer ${person.token}` } });
    if (res.status !== 200 || !res.body) throw new Error(`export: HTTP ${res.status}`);
    const out = createWriteStream(zipFile);
    let received = 0;
    const reader = res.body.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (!out.write(value)) await new Promise<void>((r) => out.once("drain", () => r()));
      // Paced like a client on a CLIENT_MBPS link.
      const due = (received / (CLIENT_MBPS * 1024 * 1024)) * 1000 - (Date.now() - t0);
      if (due > 0) await sleep(due);
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const seconds = (Date.now() - t0) / 1000;
    sampling = false;
    await sampler;

    const names = await zipEntries(zipFile);
    const expected = new Set([...rows.map(({ id }) => `images/${id}.png`), "jobs.json"]);
    const missing = [...expected].filter((name) => !names.includes(name));
    const growth = mb(peak - baseline);
    console.log(
      [
        "",
        `export of ${JOBS} jobs: ${mb((await stat(zipFile)).size / 1024)} MB zip, ${names.length} entries, ${seconds.toFixed(1)} s at ~${CLIENT_MBPS} MB/s`,
        `server RSS: baseline ${mb(baseline)} MB, peak ${mb(peak)} MB, growth ${growth} MB (target < ${MAX_GROWTH_MB} MB)`,
      ].join("\n"),
    );
    if (missing.length > 0 || names.length !== expected.size) {
      console.error(`FAIL: the zip is incomplete: ${names.length} entries, ${missing.length} expected ones missing (e.g. ${missing.slice(0, 3).join(", ")})`);
      return 1;
    }
    if (growth >= MAX_GROWTH_MB) {
      console.error(`FAIL: RSS grew ${growth} MB during the export`);
      return 1;
    }
    return 0;
  } finally {
    await sql?.end({ timeout: 5 });
    await rm(zipFile, { force: true });
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
