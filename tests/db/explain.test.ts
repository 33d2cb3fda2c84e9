// The list and status reads stay index reads however big the tables grow: no
// Seq Scan on a user-owned table inside the app's RLS transaction.
//
// The statements are not rebuilt here: the app's own query functions run
// against the test database, a postgres.js `debug` hook on the app's pool
// records exactly what they send (the `withUser` preamble that sets the
// `darkroom_app` role and `app.user_id`, then the statement), and each
// statement is replayed under `EXPLAIN (FORMAT JSON)` after that same
// preamble, with the same parameters. The tables are seeded (20k jobs and 20k
// audit events over 50 people, then ANALYZE) until a missing index would make
// the planner read the whole table; the last test drops the indexes inside a
// rolled-back transaction to show the check then fails.
import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { closeSql, sql } from "../support/db";

type Sent = { text: string; parameters: unknown[] };

// Every statement the app's pool sends while `recorder.on`.
const recorder = vi.hoisted(() => ({ on: false, sent: [] as { text: string; parameters: unknown[] }[] }));

vi.mock("postgres", async (importOriginal) => {
  const real = ((await importOriginal()) as { default: typeof postgres }).default;
  const wrapped = (url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}) =>
    real(url, {
      ...options,
      debug: (_connection: number, text: string, parameters: unknown[]) => {
        if (recorder.on) recorder.sent.push({ text, parameters: [...parameters] });
      },
    });
  return { default: Object.assign(wrapped, real) };
});

const { closeDatabase } = await import("@/db/client");
const jobs = await import("@/lib/jobs/queries");
const audit = await import("@/lib/audit/queries");
const { toTsQueryText } = await import("@/lib/jobs/search");

const PEOPLE = 50;
const ROWS = 20_000;
const run = randomUUID().slice(0, 8);
const emailDomain = `explain-${run}.test`;

let people: string[] = [];
let person: string;
let someJob: { id: string; createdAt: Date };
let userOwnedTables: string[] = [];

// Runs one app function and returns what it sent, grouped as the app sent it.
async function capture(fn: () => Promise<unknown>): Promise<Sent[]> {
  recorder.sent = [];
  recorder.on = true;
  try {
    await fn();
  } finally {
    recorder.on = false;
  }
  return recorder.sent;
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

// `setup` runs first in the same transaction, as the database owner (used to drop indexes in the self-test).
async function explainAsApp(sent: Sent[], setup?: (tx: postgres.TransactionSql) => Promise<unknown>) {
  const preamble = sent.find((s) => s.text.includes("set_config('role'"));
  expect(preamble, "the app function ran outside withUser: no role was set").toBeDefined();
  const statements = sent.filter((s) => userOwnedTables.some((t) => s.text.includes(`"${t}"`)));
  expect(statements.length).toBeGreaterThan(0);
  const plans: { text: string; plan: PlanNode; nodes: string[]; scans: { node: string; relation?: string; index?: string }[] }[] = [];
  await sql()
    .begin(async (tx) => {
      await setup?.(tx);
      await tx.unsafe(preamble!.text, preamble!.parameters as never[]);
      const [who] = await tx`select current_user as role, current_setting('app.user_id', true) as uid`;
      expect(who).toEqual({ role: "darkroom_app", uid: preamble!.parameters.at(-1) });
      for (const s of statements) {
        // The values as serialized for the wire; Drizzle sends them untyped too
        // (type 0), so the server infers each type from context as it did for the app.
        const [row] = await tx.unsafe(`explain (format json) ${s.text}`, s.parameters as never[], { prepare: false });
        const plan = (row!["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
        const scans: (typeof plans)[number]["scans"] = [];
        const nodes: string[] = [];
        walk(plan, (n) => {
          nodes.push(n["Node Type"]);
          if (n["Relation Name"]) scans.push({ node: n["Node Type"], relation: n["Relation Name"], index: n["Index Name"] });
        });
        plans.push({ text: s.text, plan, nodes, scans });
      }
      // Nothing is changed: the self-test's dropped indexes come back.
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return plans;
}

class Rollback extends Error {}

const seqScansOnUserTables = (plans: Awaited<ReturnType<typeof explainAsApp>>) =>
  plans.flatMap((p) => p.scans.filter((s) => s.node === "Seq Scan" && userOwnedTables.includes(s.relation!)).map((s) => `${s.relation} in: ${p.text}`));

beforeAll(async () => {
  // db/client.ts opens the app's pool on DATABASE_URL.
  process.env.DATABASE_URL = inject("databaseUrl");
  const db = sql();
  userOwnedTables = (
    await db<
      { relname: string }[]
    >`select relname from pg_class where relkind = 'r' and relrowsecurity and relnamespace = 'public'::regnamespace order by relname`
  ).map((r) => r.relname);
  expect(userOwnedTables).toEqual(expect.arrayContaining(["image_jobs", "audit_events"]));

  people = (
    await db<{ id: string }[]>`
      insert into users (email, password_hash)
      select 'person-' || i || '@' || ${emailDomain}, 'not-a-real-hash' from generate_series(1, ${PEOPLE}) i
      returning id`
  ).map((r) => r.id);
  // Finished jobs only (nothing for the shared server's runner to pick up), spread over four weeks.
  await db`
    with p as (select id, row_number() over (order by id) - 1 as n from users where email like ${`%@${emailDomain}`})
    insert into image_jobs (user_id, status, prompt, style, quality, model, attempts, created_at, updated_at, completed_at)
    select p.id, case when i % 7 = 0 then 'failed' else 'completed' end, 'explain seed ' || i, 'sketch', 'standard', 'local/sketch', 1,
           now() - i * interval '2 minutes', now() - i * interval '2 minutes', now() - i * interval '2 minutes'
    from generate_series(1, ${ROWS}) i join p on p.n = i % ${PEOPLE}`;
  await db`
    with p as (select id, row_number() over (order by id) - 1 as n from users where email like ${`%@${emailDomain}`})
    insert into audit_events (user_id, event, detail, created_at)
    select p.id, 'sign_in', '{}'::jsonb, now() - i * interval '2 minutes'
    from generate_series(1, ${ROWS}) i join p on p.n = i % ${PEOPLE}`;
  // Two images for every completed job: the list reads a page's images with it.
  await db`
    insert into job_images (user_id, job_id, index, image_key, thumbnail_key, content_type, width, height)
    select j.user_id, j.id, i, 'k/' || j.id || '/' || i, 't/' || j.id || '/' || i, 'image/png', 512, 512
    from image_jobs j join users u on u.id = j.user_id and u.email like ${`%@${emailDomain}`}, generate_series(0, 1) i
    where j.status = 'completed'`;
  await db.unsafe("analyze users, image_jobs, audit_events, job_images");
  person = people[7]!;
  const [job] = await db<
    { id: string; created_at: Date }[]
  >`select id, created_at from image_jobs where user_id = ${person} order by created_at desc offset 200 limit 1`;
  someJob = { id: job!.id, createdAt: job!.created_at };
}, 120_000);

afterAll(async () => {
  // The seeded people's jobs and audit events go with them (ON DELETE CASCADE).
  await sql()`delete from users where email like ${`%@${emailDomain}`}`;
  await closeDatabase();
  await closeSql();
});

describe("query plans of the app's own reads, as darkroom_app with app.user_id set", () => {
  // `pages`: a newest-first page, which the index must deliver in order. A Sort
  // there means the ORDER BY no longer matches the index (e.g. DESC without
  // NULLS LAST against a `DESC NULLS LAST` index): every row of the person is
  // read and sorted for each page, however small.
  const reads: [string, { pages: boolean }, () => Promise<unknown>][] = [
    ["findJob (status read)", { pages: false }, () => jobs.findJob({ userId: person, jobId: someJob.id })],
    ["listJobs, first page", { pages: true }, () => jobs.listJobs({ userId: person, limit: 21 })],
    [
      "listJobs, after a cursor 200 rows deep",
      { pages: true },
      () => jobs.listJobs({ userId: person, limit: 21, after: { createdAt: someJob.createdAt, id: someJob.id } }),
    ],
    ["listJobs, gallery (completed only)", { pages: true }, () => jobs.listJobs({ userId: person, limit: 25, status: "completed" })],
    ["listJobs, filtered by style", { pages: true }, () => jobs.listJobs({ userId: person, limit: 21, style: "sketch" })],
    // Prompt search (issue 13): the postings' index (job_terms) and the jobs'
    // primary key, or the owner's index; never the whole table. Not `pages`: a
    // rare prefix's postings are sorted (fewer than PREFIX_CANDIDATES), and so
    // is the page of ids the search found.
    [
      "listJobs, searching the person's prompts",
      { pages: false },
      () => jobs.listJobs({ userId: person, limit: 21, filters: { query: toTsQueryText("explain seed 12")! } }),
    ],
    [
      "listJobs, searching by relevance",
      { pages: false },
      () => jobs.listJobs({ userId: person, limit: 21, filters: { query: toTsQueryText("seeds")! }, relevance: { offset: 20 } }),
    ],
    [
      "listJobs, searching with filters",
      { pages: false },
      () =>
        jobs.listJobs({
          userId: person,
          limit: 21,
          status: "completed",
          filters: { query: toTsQueryText("explain")!, model: "local/sketch", from: new Date(0) },
        }),
    ],
    ["listEvents (activity log)", { pages: true }, () => audit.listEvents({ userId: person, limit: 50 })],
    ["listEvents, older page", { pages: true }, () => audit.listEvents({ userId: person, limit: 50, before: someJob.createdAt })],
    ["requeueInterruptedJobs (crash recovery)", { pages: false }, () => jobs.requeueInterruptedJobs(person, [])],
    // Live updates (lib/events): a stream's known ids at open, and a reconnect's replay.
    // Not a page: once per stream open, the planner may sort the person's own ids
    // (it does here, by bitmap) rather than walk the index; no other person's rows.
    ["listJobIds (an event stream opens)", { pages: false }, () => jobs.listJobIds({ userId: person, limit: 1000 })],
    [
      "listJobsChangedSince (Last-Event-ID replay)",
      { pages: false },
      () => jobs.listJobsChangedSince({ userId: person, since: new Date(Date.now() - 60_000), limit: 500 }),
    ],
  ];

  it.each(reads)("%s reads no user-owned table sequentially", async (_, { pages }, read) => {
    const plans = await explainAsApp(await capture(read));
    expect(seqScansOnUserTables(plans)).toEqual([]);
    if (pages) expect(plans.flatMap((p) => p.nodes).filter((n) => n.includes("Sort"))).toEqual([]);
    // The statement really reached a user-owned table through an index.
    expect(plans.flatMap((p) => p.scans.map((s) => s.relation))).toEqual(expect.arrayContaining([expect.stringMatching(/^(image_jobs|audit_events)$/)]));
  });

  it("a list page's images come in the same round trip, through the owner's index on job_images", async () => {
    for (const read of [() => jobs.listJobs({ userId: person, limit: 21 }), () => jobs.listJobs({ userId: person, limit: 25, status: "completed" })]) {
      const sent = await capture(read);
      // One scope: the page and its images are both statements of it.
      expect(sent.filter((s) => s.text.includes("set_config('role'"))).toHaveLength(1);
      const plans = await explainAsApp(sent);
      const images = plans.filter((p) => p.scans.some((s) => s.relation === "job_images"));
      expect(images).toHaveLength(1);
      expect(images[0]!.scans.filter((s) => s.relation === "job_images")).toEqual([
        expect.objectContaining({ node: expect.stringMatching(/^Index (Only )?Scan$/), index: "job_images_user_job_index_unique" }),
      ]);
      expect(images[0]!.nodes.filter((n) => n.includes("Sort"))).toEqual([]);
    }
    const { rows, images } = await jobs.listJobs({ userId: person, limit: 21 });
    const completed = rows.filter((r) => r.status === "completed").map((r) => r.id);
    expect(completed.length).toBeGreaterThan(0);
    expect(new Set(images.map((i) => i.jobId))).toEqual(new Set(completed));
    expect(images).toHaveLength(completed.length * 2);
    // A search's page reads its images after it, by its ids (its search is not run twice), and gets them all the same.
    const searched = await jobs.listJobs({ userId: person, limit: 21, filters: { query: toTsQueryText("explain")! } });
    const found = searched.rows.filter((r) => r.status === "completed").map((r) => r.id);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(searched.images.map((i) => i.jobId))).toEqual(new Set(found));
    expect(searched.images).toHaveLength(found.length * 2);
  });

  it("a search finds its candidates in the postings' index, by person and lexeme", async () => {
    for (const words of ["explain seed 12", "seeds", "explain"]) {
      const plans = await explainAsApp(await capture(() => jobs.listJobs({ userId: person, limit: 21, filters: { query: toTsQueryText(words)! } })));
      // The candidates come from the (user_id, term, …) index; checking a candidate's other
      // words may look it up there or by the primary key (job_id, term): both are index reads.
      const postings = plans.flatMap((p) => p.scans).filter((s) => s.relation === "job_terms");
      expect(postings.map((s) => s.index)).toContain("job_terms_user_term_created_idx");
      expect(postings.filter((s) => !["job_terms_user_term_created_idx", "job_terms_pkey"].includes(s.index ?? ""))).toEqual([]);
    }
  });

  it("creating a job (idempotency lookup, active count, daily quota, insert) reads no user-owned table sequentially", async () => {
    const sent = await capture(() =>
      jobs.insertJob(
        {
          userId: person,
          prompt: "explain probe",
          style: "sketch",
          quality: "standard",
          model: "local/sketch",
          aspectRatio: "1:1",
          n: 1,
          seed: 1,
          negativePrompt: null,
          units: 1,
          idempotencyKey: `explain-${run}`,
        },
        { maxActive: 1000, dailyQuota: 500 },
      ),
    );
    const plans = await explainAsApp(sent);
    expect(plans.length).toBeGreaterThanOrEqual(3);
    expect(seqScansOnUserTables(plans)).toEqual([]);
  });

  it("the order check bites: with an index whose order does not match the page's, the list read sorts", async () => {
    const sent = await capture(() => jobs.listJobs({ userId: person, limit: 21 }));
    const plans = await explainAsApp(sent, async (tx) => {
      // Plain DESC is NULLS FIRST: the app's `desc nulls last` cannot walk it.
      await tx.unsafe("drop index image_jobs_user_created_idx");
      await tx.unsafe("create index explain_probe_nulls_first on image_jobs (user_id, created_at desc, id desc)");
      await tx.unsafe("analyze image_jobs");
    });
    expect(plans.flatMap((p) => p.nodes).filter((n) => n.includes("Sort")).length).toBeGreaterThan(0);
    const [left] = await sql()`select count(*)::int as n from pg_indexes where indexname = 'explain_probe_nulls_first'`;
    expect(left!.n).toBe(0);
  });

  it("the check bites: without the indexes, the same list read is a Seq Scan", async () => {
    const sent = await capture(() => jobs.listJobs({ userId: person, limit: 21 }));
    const indexes = (await sql()<{ indexname: string }[]>`select indexname from pg_indexes where tablename = 'image_jobs' and indexdef like '%(user_id%'`).map(
      (r) => r.indexname,
    );
    expect(indexes).toContain("image_jobs_user_created_idx");
    const plans = await explainAsApp(sent, async (tx) => {
      for (const name of indexes) await tx.unsafe(`drop index "${name}"`);
    });
    expect(seqScansOnUserTables(plans).length).toBeGreaterThan(0);
    // ...and the rollback put them back.
    const after = await sql()`select count(*)::int as n from pg_indexes where tablename = 'image_jobs' and indexdef like '%(user_id%'`;
    expect(after[0]!.n).toBe(indexes.length);
  });
});
