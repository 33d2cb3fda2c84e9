// Prompt search through the postings of migration 0012 (lib/jobs/search.ts):
// the app's own listJobs must answer exactly what `search @@ to_tsquery(…)`
// answers over the person's jobs — same ids, same order, same pages — for
// queries that take each of its ways (a rare or common last word, the rarest
// whole word, a prefix too common to sort, stop words only), with filters and
// cursors, and never another person's job. The postings themselves are written
// by the database alone and follow their job.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeSql, runtimeUrl, sql } from "../support/db";

const { closeDatabase } = await import("@/db/client");
const jobs = await import("@/lib/jobs/queries");
const { toTsQueryText, PREFIX_CANDIDATES } = await import("@/lib/jobs/search");

const run = randomUUID().slice(0, 8);
const emailDomain = `terms-${run}.test`;
// More jobs than PREFIX_CANDIDATES, so that a word in every job is too common to sort.
const JOBS = PREFIX_CANDIDATES + 300;
let ada: string;
let bob: string;

// Job i's prompt: "common" always; "lighthouse" in 1 of 3; "zephyr" in 1 of 97;
// "storm" or "stormy" in 1 of 5 (two lexemes under one prefix); "harbour" and
// "autumn" never together; "the" (a stop word). The negative prompt holds
// "fog" in 1 of 11. Runs of four jobs share a timestamp (the id breaks ties).
const prompt = (i: number) =>
  ["the common", i % 3 === 0 ? "lighthouse" : "", i % 97 === 0 ? "zephyr" : "", i % 5 === 0 ? (i % 2 ? "storm" : "stormy") : "", i % 2 ? "harbour" : "autumn"]
    .filter(Boolean)
    .join(" ");

async function seed(userId: string) {
  const rows = Array.from({ length: JOBS }, (_, i) => ({
    user_id: userId,
    prompt: prompt(i),
    negative_prompt: i % 11 === 0 ? "fog" : null,
    style: i % 4 === 0 ? "watercolor" : "sketch",
    quality: "standard",
    model: "local/sketch",
    status: i % 7 === 0 ? "failed" : "completed",
    attempts: 1,
    created_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 4) * 1000),
  }));
  for (let at = 0; at < rows.length; at += 500) await sql()`insert into image_jobs ${sql()(rows.slice(at, at + 500))}`;
}

type Filters = { status?: "completed" | "failed"; style?: string; from?: Date; to?: Date };

// The answer by definition: `@@` over the person's jobs, as the database owner.
async function expected(userId: string, text: string, f: Filters, limit: number, after?: { createdAt: Date; id: string }) {
  const rows = await sql()<{ id: string; created_at: Date }[]>`
    select id, created_at from image_jobs
    where user_id = ${userId} and search @@ to_tsquery('english', ${text})
      ${f.status ? sql()`and status = ${f.status}` : sql()``}
      ${f.style ? sql()`and style = ${f.style}` : sql()``}
      ${f.from ? sql()`and created_at >= ${f.from}` : sql()``}
      ${f.to ? sql()`and created_at < ${f.to}` : sql()``}
      ${after ? sql()`and (created_at, id) < (${after.createdAt}, ${after.id})` : sql()``}
    order by created_at desc, id desc limit ${limit}`;
  return rows.map((r) => r.id);
}

const listed = async (userId: string, text: string, f: Filters, limit: number, after?: { createdAt: Date; id: string }) =>
  (await jobs.listJobs({ userId, limit, after, status: f.status, style: f.style, filters: { query: text, from: f.from, to: f.to } })).rows.map((r) => r.id);

beforeAll(async () => {
  process.env.DATABASE_URL = inject("databaseUrl");
  [ada, bob] = (
    await sql()<{ id: string }[]>`
      insert into users (email, password_hash) values (${`ada@${emailDomain}`}, 'x'), (${`bob@${emailDomain}`}, 'x') returning id`
  ).map((r) => r.id) as [string, string];
  // Bob's jobs say exactly what Ada's say: any leak would show.
  await seed(ada);
  await seed(bob);
  await sql()`analyze image_jobs, job_terms`;
}, 120_000);

afterAll(async () => {
  await sql()`delete from users where email like ${`%@${emailDomain}`}`;
  await closeDatabase();
  await closeSql();
});

describe("search through the postings answers what @@ answers", () => {
  const queries = [
    "zephyr", // a rare last word: its postings, sorted
    "zeph",
    "lighthouse", // one job in three: more postings than a page
    "lighthouses",
    "storm", // "storm" and "stormi": two lexemes under one prefix, each job once
    "common", // in every job: too common to sort, the walk
    "c", // a one-letter prefix, the walk
    "common lighthouse zephyr", // whole words: the rarest one's postings, the others checked in the index
    "lighthouse zep",
    "harbour autumn", // never together: nothing, after reading only postings
    "harbour autu",
    "zephyr fog", // the negative prompt
    "fog zephyr",
    "the", // a stop word only: nothing, as @@ says
    "the lighthouse",
    "nowhere", // no such word
    "common nowher",
  ];
  const filters: [string, Filters][] = [
    ["no filter", {}],
    ["failed only", { status: "failed" }],
    ["watercolor", { style: "watercolor" }],
    ["a date range", { from: new Date(Date.UTC(2026, 0, 1, 0, 1)), to: new Date(Date.UTC(2026, 0, 1, 0, 4)) }],
  ];

  it.each(queries)("%j: every filter, first and second pages, Ada's jobs only", async (words) => {
    const text = toTsQueryText(words)!;
    for (const [, f] of filters) {
      const first = await listed(ada, text, f, 24);
      expect(first).toEqual(await expected(ada, text, f, 24));
      if (first.length < 24) continue;
      const last = (await sql()<{ created_at: Date }[]>`select created_at from image_jobs where id = ${first.at(-1)!}`)[0]!;
      const after = { createdAt: last.created_at, id: first.at(-1)! };
      expect(await listed(ada, text, f, 24, after)).toEqual(await expected(ada, text, f, 24, after));
    }
    const bobs = await sql()<{ id: string }[]>`select id from image_jobs where user_id = ${bob}`;
    const mine = new Set(await listed(ada, text, {}, 500));
    expect(bobs.filter((b) => mine.has(b.id))).toEqual([]);
  });

  it("a search by relevance ranks every match, as @@ and ts_rank do", async () => {
    for (const words of ["zephyr", "lighthouse zephyr", "storm", "common"]) {
      const text = toTsQueryText(words)!;
      const got = (await jobs.listJobs({ userId: ada, limit: 50, filters: { query: text }, relevance: { offset: 10 } })).rows.map((r) => r.id);
      const want = await sql()<{ id: string }[]>`
        select id from image_jobs where user_id = ${ada} and search @@ to_tsquery('english', ${text})
        order by ts_rank(search, to_tsquery('english', ${text})) desc, created_at desc, id desc limit 50 offset 10`;
      expect(got).toEqual(want.map((r) => r.id));
    }
  });
});

describe("the postings", () => {
  it("are one per lexeme of the job's search vector, written by the database, and follow their job", async () => {
    const [job] = await sql()<{ id: string }[]>`
      insert into image_jobs (user_id, prompt, negative_prompt, style, quality, model, status)
      values (${ada}, 'Lighthouses at dusk', 'crowds', 'sketch', 'standard', 'local/sketch', 'completed') returning id`;
    const terms = async () => (await sql()<{ term: string }[]>`select term from job_terms where job_id = ${job!.id} order by term`).map((r) => r.term);
    expect(await terms()).toEqual(["crowd", "dusk", "lighthous"]);
    const [owner] = await sql()`select distinct user_id from job_terms where job_id = ${job!.id}`;
    expect(owner!.user_id).toBe(ada);

    await sql()`update image_jobs set prompt = 'A harbour' where id = ${job!.id}`;
    expect(await terms()).toEqual(["crowd", "harbour"]);
    await sql()`update image_jobs set status = 'failed' where id = ${job!.id}`;
    expect(await terms()).toEqual(["crowd", "harbour"]);

    await sql()`delete from image_jobs where id = ${job!.id}`;
    expect(await terms()).toEqual([]);
  });

  it("the runtime role reads only its own person's postings and can write none", async () => {
    const { default: postgres } = await import("postgres");
    const runtime = postgres(runtimeUrl(), { max: 1, onnotice: () => {} });
    try {
      const [someJob] = await sql()<{ id: string }[]>`select id from image_jobs where user_id = ${ada} limit 1`;
      await runtime.begin(async (tx) => {
        await tx`set local role darkroom_app`;
        await tx`select set_config('app.user_id', ${bob}, true)`;
        const [{ n }] = (await tx`select count(*)::int as n from job_terms where user_id = ${ada}`) as unknown as [{ n: number }];
        expect(n).toBe(0);
        const [{ own }] = (await tx`select count(*)::int as own from job_terms`) as unknown as [{ own: number }];
        expect(own).toBeGreaterThan(0);
      });
      for (const statement of [
        `insert into job_terms (user_id, job_id, term, created_at) values ('${bob}', '${someJob!.id}', 'planted', now())`,
        "delete from job_terms",
        "update job_terms set term = 'x'",
      ]) {
        await expect(
          runtime.begin(async (tx) => {
            await tx`set local role darkroom_app`;
            await tx`select set_config('app.user_id', ${bob}, true)`;
            await tx.unsafe(statement);
          }),
        ).rejects.toThrow(/permission denied/);
      }
      await expect(runtime`select darkroom_job_terms_inserted()`).rejects.toThrow(/permission denied|trigger functions can only be called as triggers/);
    } finally {
      await runtime.end({ timeout: 5 });
    }
  });
});
