// Set-based seeding: every row comes from `insert … select … from generate_series(…)`,
// never one insert per row. Runs as the database owner (a superuser, which
// bypasses row-level security), straight against the embedded PostgreSQL.
import type postgres from "postgres";

export type Sql = postgres.Sql;

const STYLES = "array['realistic','anime','digital-art','watercolor','oil-painting','sketch','pixel-art','3d-render']";
export const OTHER_EMAIL_PREFIX = "bench-other-";

// People who own the background rows. Their password hash is a placeholder: nobody signs in as them.
export async function createOtherPeople(sql: Sql, count: number): Promise<void> {
  await sql.unsafe(
    `insert into users (email, name, password_hash, created_at)
     select '${OTHER_EMAIL_PREFIX}' || g || '@bench.invalid', 'Bench other ' || g, 'not-a-password-hash', now() - interval '30 days'
     from generate_series(1, $1::int) g`,
    [count],
  );
}

export type SeedJobs = {
  // One owner, or every bench-other person in turn.
  owner: { userId: string } | "others";
  from: number;
  to: number;
  // Every n-th row is failed (no image); 0: all completed.
  failEvery: number;
  // created_at = base - g × stepMs: rows of different owners interleave in time.
  baseMsAgo: number;
  stepMs: number;
};

export async function seedJobs(sql: Sql, s: SeedJobs): Promise<number> {
  if (s.to < s.from) return 0;
  const ownerExpr = s.owner === "others" ? "o.a[1 + g % cardinality(o.a)]" : "$6::uuid";
  const ownersCte =
    s.owner === "others" ? `(select array_agg(id order by id) as a from users where email like '${OTHER_EMAIL_PREFIX}%')` : "(select null::uuid[] as a)";
  const params: (string | number)[] = [s.from, s.to, s.failEvery, s.baseMsAgo, s.stepMs];
  if (s.owner !== "others") params.push(s.owner.userId);
  const result = await sql.unsafe(
    `insert into image_jobs (id, user_id, status, prompt, style, quality, model, attempts, error,
       image_key, thumbnail_key, content_type, width, height, created_at, updated_at, started_at, completed_at)
     select id, user_id, status, prompt, style, 'standard', 'local/sketch', 1,
       case when status = 'failed' then 'Seeded failure' end,
       case when status = 'completed' then 'users/' || user_id || '/jobs/' || id || '/image.png' end,
       case when status = 'completed' then 'users/' || user_id || '/jobs/' || id || '/thumbnail.webp' end,
       case when status = 'completed' then 'image/png' end,
       case when status = 'completed' then 512 end,
       case when status = 'completed' then 512 end,
       t, t + interval '2 seconds', t + interval '50 milliseconds',
       case when status = 'completed' then t + interval '2 seconds' end
     from (
       select gen_random_uuid() as id,
              ${ownerExpr} as user_id,
              case when $3::int > 0 and g % $3::int = 0 then 'failed' else 'completed' end as status,
              'Seeded prompt ' || g || ': a quiet harbour at dawn, long exposure' as prompt,
              (${STYLES})[1 + g % 8] as style,
              date_trunc('milliseconds', now()) - ($4::bigint + g::bigint * $5::bigint) * interval '1 millisecond' as t
       from generate_series($1::int, $2::int) g, ${ownersCte} o
     ) s`,
    params,
  );
  return result.count;
}

// The list person's jobs among other people's rows, `total` rows in all.
export async function seedListTable(sql: Sql, o: { listPersonId: string; listPersonJobs: number; otherPeople: number; total: number }): Promise<void> {
  await createOtherPeople(sql, o.otherPeople);
  await seedJobs(sql, { owner: { userId: o.listPersonId }, from: 1, to: o.listPersonJobs, failEvery: 20, baseMsAgo: 0, stepMs: 60_000 });
  const others = o.total - o.listPersonJobs;
  for (let from = 1; from <= others; from += 250_000) {
    await seedJobs(sql, { owner: "others", from, to: Math.min(from + 249_999, others), failEvery: 25, baseMsAgo: 0, stepMs: 500 });
  }
}

// A bulk load the way one is done by hand: image_jobs' own triggers (the change
// notification, one pg_notify per row) switched off and its plain indexes
// (the GIN search index above all) dropped while the rows go in, then the same
// indexes rebuilt from their own definitions and the triggers switched back on.
// Constraint indexes (primary key, unique) stay. The app is idle meanwhile.
export async function bulkLoad<T>(sql: Sql, fn: () => Promise<T>): Promise<T> {
  const indexes = await sql<{ name: string; definition: string }[]>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = 'public' and tablename = 'image_jobs'
      and indexname not in (select conname from pg_constraint where conrelid = 'public.image_jobs'::regclass)`;
  await sql.unsafe("alter table image_jobs disable trigger user");
  for (const index of indexes) {
    if (!/^[a-z0-9_]+$/.test(index.name)) throw new Error(`unexpected index name ${index.name}`);
    await sql.unsafe(`drop index "${index.name}"`);
  }
  try {
    return await fn();
  } finally {
    for (const index of indexes) await sql.unsafe(index.definition);
    await sql.unsafe("alter table image_jobs enable trigger user");
  }
}

export async function countJobs(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from image_jobs`;
  return row!.n;
}

// Sets hint bits and the visibility map now, and fresh statistics, so that
// neither autovacuum nor first-read page writes land inside a measurement.
export async function vacuumAnalyze(sql: Sql): Promise<void> {
  await sql.unsafe("vacuum (analyze) image_jobs");
  await sql.unsafe("analyze users");
}
