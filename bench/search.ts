// Prompt search at scale: is a search as fast as the plain gallery? Starts the
// production server on a fresh data folder, seeds a table of SEARCH_ROWS jobs
// (default 1,000,000) of which one person owns SEARCH_PERSON_ROWS (25,000),
// with generate_series in SQL (prompts drawn from a small vocabulary, so a
// word matches a known share of everyone's rows), then times GET /api/jobs
// sequentially: the unfiltered first page, and searches for a common word, a
// rare word, two words with a prefix, no match, a one-letter prefix and a
// rare word by relevance. Prints a table and the plans of the app's own
// statement, and exits non-zero when a search's p50 passes SEARCH_MAX_RATIO
// (1.5) × the unfiltered first page's, or when a plan reads neither the
// postings' index (job_terms, lib/jobs/search.ts) nor the person's newest-first
// index (or scans a whole table).
//
//   npx tsx bench/search.ts
//   SEARCH_ROWS=200000 SEARCH_PERSON_ROWS=10000 SEARCH_SAMPLES=100 npx tsx bench/search.ts
import { and, sql as dsql, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { imageJobs } from "../db/schema";
import { searchedIds, toTsQueryText } from "../lib/jobs/search";
import { createAccount } from "./lib/people";
import { createDataDir, databaseUrl, ensureBuild, launchServer } from "./lib/server";
import { percentile, round } from "./lib/stats";

const ROWS = Number(process.env.SEARCH_ROWS ?? 1_000_000);
const PERSON_ROWS = Number(process.env.SEARCH_PERSON_ROWS ?? 25_000);
const OTHERS = Number(process.env.SEARCH_OTHER_PEOPLE ?? 200);
const SAMPLES = Number(process.env.SEARCH_SAMPLES ?? 200);
const MAX_RATIO = Number(process.env.SEARCH_MAX_RATIO ?? 1.5);
const PAGE = 24;
const distDir = process.env.NEXT_DIST_DIR || ".next";

// 40 words; row g's prompt has words g % 40, (g * 7) % 40 and (g * 13) % 40, plus
// "zephyr" in one row in 500: "lighthouse" (word 0) is in 1 row in 40, "harbour" in about 3 in 40.
const WORDS =
  "lighthouse harbour forest mountain river castle garden portrait street market desert ocean winter autumn city village bridge tower canyon meadow " +
  "storm sunset dawn night rain snow fog island temple station library kitchen studio garage attic cellar orchard vineyard glacier volcano";

type Case = { name: string; query: string };
const CASES: Case[] = [
  { name: "first page, unfiltered", query: "" },
  { name: "search: common word", query: "q=lighthouse" },
  { name: "search: rare word", query: "q=zephyr" },
  // Row g ≡ 1 (mod 40) holds "harbour portrait autumn": these two words meet.
  { name: "search: two words, prefix", query: "q=harbour+autu" },
  // "harbour" and "storm" never share a row: nothing matches, the worst case for a walk in date order.
  { name: "search: no match", query: "q=harbour+stor" },
  // Every word starting with "h" (harbour, …): too many postings to sort, the newest-first walk.
  { name: "search: one-letter prefix", query: "q=h" },
  { name: "search: rare word, by relevance", query: "q=zephyr&sort=relevance" },
];

async function seed(sql: postgres.Sql, personId: string): Promise<void> {
  const others = ROWS - PERSON_ROWS;
  await sql`insert into users (id, email, password_hash)
            select gen_random_uuid(), 'filler-' || g || '@bench.invalid', 'x' from generate_series(1, ${OTHERS}) as g`;
  // The person's rows, the vocabulary an array indexed in SQL.
  await sql`
    insert into image_jobs (user_id, prompt, style, quality, model, status, attempts, created_at, updated_at, completed_at)
    select ${personId}, w[1 + g % 40] || ' ' || w[1 + (g * 7) % 40] || ' ' || w[1 + (g * 13) % 40] || case when g % 500 = 0 then ' zephyr' else '' end,
           'sketch', 'standard', 'local/sketch', 'completed', 1,
           now() - g * interval '1 second', now() - g * interval '1 second', now() - g * interval '1 second'
    from generate_series(1, ${PERSON_ROWS}) as g, (select string_to_array(${WORDS}, ' ') as w) as v`;
  // The others' rows, spread over the filler accounts in one pass.
  await sql`
    insert into image_jobs (user_id, prompt, style, quality, model, status, attempts, created_at, updated_at, completed_at)
    select u.ids[1 + g % array_length(u.ids, 1)],
           w[1 + g % 40] || ' ' || w[1 + (g * 7) % 40] || ' ' || w[1 + (g * 13) % 40] || case when g % 500 = 0 then ' zephyr' else '' end,
           'sketch', 'standard', 'local/sketch', 'completed', 1,
           now() - g * interval '1 second', now() - g * interval '1 second', now() - g * interval '1 second'
    from generate_series(1, ${others}) as g,
         (select string_to_array(${WORDS}, ' ') as w) as v,
         (select array_agg(id) as ids from users where email like 'filler-%@bench.invalid') as u`;
  // What autovacuum does to a table that has had its inserts (the visibility map
  // lets the postings' counts be read from the index alone).
  await sql`vacuum (analyze) image_jobs, job_terms`;
}

// The plan of the app's own statement (lib/jobs/queries.ts listJobs: the ids from
// lib/jobs/search.ts searchedIds, then their rows), as darkroom_app for the person.
async function plan(sql: postgres.Sql, personId: string, words: string | null): Promise<string> {
  const db = drizzle(sql);
  const newest = [dsql`${imageJobs.createdAt} desc nulls last`, dsql`${imageJobs.id} desc nulls last`];
  const query = words ? toTsQueryText(words) : null;
  const statement = db
    .select()
    .from(imageJobs)
    .where(
      and(
        eq(imageJobs.userId, personId),
        query ? dsql`${imageJobs.id} in (${searchedIds({ userId: personId, query, where: undefined, page: { limit: PAGE } })})` : undefined,
      ),
    )
    .orderBy(...newest)
    .limit(PAGE)
    .toSQL();
  return sql.begin(async (tx) => {
    await tx`set local role darkroom_app`;
    await tx`select set_config('app.user_id', ${personId}, true)`;
    const rows = await tx.unsafe(`explain (analyze, costs off, timing off, summary off) ${statement.sql}`, statement.params as never[]);
    return rows
      .map((r) => r["QUERY PLAN"] as string)
      .filter((line) => !line.includes("never executed"))
      .join("\n");
  });
}

async function time(url: string, token: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
  return performance.now() - t0;
}

async function main(): Promise<number> {
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
  let sql: postgres.Sql | undefined;
  try {
    await server.waitReady();
    const person = await createAccount(server.url, "searcher");
    sql = postgres(databaseUrl(dataDir), { max: 2, onnotice: () => {} });
    const started = Date.now();
    await seed(sql, person.id);
    const [{ n }] = (await sql`select count(*)::int as n from image_jobs`) as unknown as [{ n: number }];
    const [{ mine }] = (await sql`select count(*)::int as mine from image_jobs where user_id = ${person.id}`) as unknown as [{ mine: number }];
    console.log(`seeded ${n} jobs (${mine} of them the person's, ${OTHERS} other people) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Warm-up, then SAMPLES sequential requests per case, interleaved so load changes hit every case alike.
    const url = (c: Case) => `${server.url}/api/jobs?limit=${PAGE}${c.query ? `&${c.query}` : ""}`;
    for (const c of CASES) for (let i = 0; i < 20; i++) await time(url(c), person.token);
    const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
    for (let i = 0; i < SAMPLES; i++) for (const c of CASES) samples.get(c.name)!.push(await time(url(c), person.token));
    const counts = new Map<string, number>();
    for (const c of CASES) {
      const res = await fetch(url(c), { headers: { authorization: `Bearer ${person.token}` } });
      counts.set(c.name, ((await res.json()) as { data: { jobs: unknown[] } }).data.jobs.length);
    }

    const base = percentile(samples.get(CASES[0]!.name)!, 50);
    const failures: string[] = [];
    const table = CASES.map((c) => {
      const s = samples.get(c.name)!;
      const p50 = percentile(s, 50);
      const ratio = p50 / base;
      if (c.query && ratio > MAX_RATIO) failures.push(`${c.name}: p50 ${round(p50)} ms is ${round(ratio)}× the unfiltered first page (target ≤ ${MAX_RATIO}×)`);
      return { case: c.name, results: counts.get(c.name), "p50 ms": round(p50), "p95 ms": round(percentile(s, 95)), "× first page": round(ratio) };
    });
    console.log(`\nGET /api/jobs?limit=${PAGE}, ${SAMPLES} sequential requests per case, bearer token`);
    console.table(table);

    for (const words of [null, "lighthouse", "zephyr", "harbour autu", "harbour stor"]) {
      const text = await plan(sql, person.id, words);
      console.log(`\nEXPLAIN ${words ?? "unfiltered"} (executed parts only)\n${text}`);
      // The postings' index, or the person's newest-first index; never a whole table.
      if (!/job_terms_user_term_created_idx|image_jobs_user_created_idx/.test(text))
        failures.push(`plan for ${words} reads neither the postings nor the person's index`);
      if (/Seq Scan on (image_jobs|job_terms)/.test(text)) failures.push(`plan for ${words} scans a whole table`);
    }
    console.log(
      `\ntarget: every search's p50 ≤ ${MAX_RATIO}× the unfiltered first page; plans read job_terms_user_term_created_idx or image_jobs_user_created_idx, never a whole table`,
    );
    for (const f of failures) console.error(`FAIL: ${f}`);
    if (failures.length === 0) console.log("PASS");
    return failures.length === 0 ? 0 : 1;
  } finally {
    await sql?.end({ timeout: 5 });
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
