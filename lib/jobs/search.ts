// Prompt search and the filters of GET /api/jobs, as SQL conditions on
// image_jobs. Everything here runs inside the person's own RLS transaction
// (lib/jobs/queries.ts), and every subquery names the owner again.
//
// The search text never reaches PostgreSQL's tsquery parser as typed: it is cut
// into words of letters and digits only, and those are joined with `&`, the
// last one as a prefix (`:*`). Quotes, operators, parentheses and the like are
// separators, so no input can be a syntax error (a 500) or a crafted query.
import { and, type SQL, sql } from "drizzle-orm";
import { collectionImages, favourites, imageJobs, jobImages, jobTerms } from "@/db/schema";

export const MAX_SEARCH_WORDS = 16;
const MAX_WORD_LENGTH = 64;

// "Lighthouses at du" → "lighthouses & at & du:*" (stemmed by to_tsquery('english', …)).
// Null when the text holds no word at all (the search is then ignored).
export function toTsQueryText(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS).map((w) => w.slice(0, MAX_WORD_LENGTH));
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(" & ");
}

// The generated column of migration 0008 (not declared in db/schema.ts on purpose).
export const searchColumn = sql`${imageJobs}."search"`;
export const tsQuery = (text: string) => sql`to_tsquery('english'::regconfig, ${text})`;

export type JobFilters = {
  query?: string; // from toTsQueryText
  model?: string;
  style?: string;
  status?: string;
  favourite?: boolean;
  collectionId?: string;
  from?: Date;
  to?: Date;
};

// Every filter but the text itself (searchedIds below adds that).
export function filterConditions(userId: string, f: JobFilters): (SQL | undefined)[] {
  return [
    f.model ? sql`${imageJobs.model} = ${f.model}` : undefined,
    f.style ? sql`${imageJobs.style} = ${f.style}` : undefined,
    f.status ? sql`${imageJobs.status} = ${f.status}` : undefined,
    f.from ? sql`${imageJobs.createdAt} >= ${f.from.toISOString()}::timestamptz` : undefined,
    f.to ? sql`${imageJobs.createdAt} < ${f.to.toISOString()}::timestamptz` : undefined,
    f.favourite
      ? sql`exists (select 1 from ${favourites} join ${jobImages} on ${jobImages.id} = ${favourites.imageId} and ${jobImages.userId} = ${userId}
          where ${favourites.userId} = ${userId} and ${jobImages.jobId} = ${imageJobs.id})`
      : undefined,
    f.collectionId
      ? sql`exists (select 1 from ${collectionImages} join ${jobImages} on ${jobImages.id} = ${collectionImages.imageId} and ${jobImages.userId} = ${userId}
          where ${collectionImages.userId} = ${userId} and ${collectionImages.collectionId} = ${f.collectionId}::uuid and ${jobImages.jobId} = ${imageJobs.id})`
      : undefined,
  ];
}

// How a search finds its candidates. Under row-level security PostgreSQL never
// uses the GIN index on `search` (`@@` is not LEAKPROOF, so it may not run
// before the policy's check), and a walk over the person's jobs newest first
// costs as many rows as it takes to fill a page: a whole 25,000-job account for
// a rare word. Instead the search reads the postings of migration 0012
// (job_terms: person, lexeme, created_at), whose text comparisons are LEAKPROOF
// and so index conditions, and keeps `@@` as the final check of each
// candidate, so the answer is exactly what `search @@ query` gives.
//
// Every lexeme of the query is required (toTsQueryText joins words with `&`),
// so the jobs holding any one of them are a superset of the matches. In one
// statement, from the query's own lexemes (to_tsquery's text form, so stemming
// and stop words are PostgreSQL's):
//   - `prefix`: the last word's postings, when fewer than PREFIX_CANDIDATES and
//     fewer than any whole word's: every candidate is read and the page sorted;
//   - `exact`: otherwise the rarest whole word's postings, already newest first
//     in the index, read until the page is full;
//   - `walk`: a lone prefix too common for the first (a short one, "s"), where
//     the person's newest jobs match soon: the walk over image_jobs as before;
//   - `none`: stop words only; `@@` would match nothing either.
// Postings are counted up to PREFIX_CANDIDATES per lexeme, from the index.
export const PREFIX_CANDIDATES = 1000;

const C = sql.raw(String(PREFIX_CANDIDATES));
// Lexemes hold letters and digits only (toTsQueryText): never U+10FFFF, so
// [p, p || U+10FFFF) is exactly the terms starting with p, in bytes (COLLATE "C").
const prefixRange = (term: SQL) => sql`p.term >= ${term} and p.term < ${term} || chr(1114111)`;

function plan(userId: string, query: string): SQL {
  return sql`tsq as (select ${tsQuery(query)} as q),
    lexemes as (
      select m[1] collate "C" as term, m[2] is not null as prefix
      from regexp_matches((select q from tsq)::text, '''([^'']+)''(:\\*)?', 'g') as m
    ),
    sized as (
      select l.term, l.prefix,
        case when l.prefix
          then (select count(*) from (select 1 from ${jobTerms} p where p.user_id = ${userId} and ${prefixRange(sql`l.term`)} limit ${C}) c)
          else (select count(*) from (select 1 from ${jobTerms} p where p.user_id = ${userId} and p.term = l.term limit ${C}) c)
        end as n
      from lexemes l
    ),
    choice as (
      select
        case
          when p.n is not null and p.n < ${C} and (e.n is null or p.n < e.n) then 'prefix'
          when e.n is not null then 'exact'
          when p.n is not null then 'walk'
          else 'none'
        end as kind,
        e.term as exact_term, p.term as prefix_term,
        (select coalesce(array_agg(distinct term), '{}') from sized where not prefix) as exact_terms
      from (select 1) as one
      left join lateral (select term, n from sized where not prefix order by n, term limit 1) e on true
      left join lateral (select term, n from sized where prefix order by n, term limit 1) p on true
    )`;
}

// The ids of the person's jobs matching `query` and `where` (conditions on
// image_jobs). With `page`: the newest `page.limit` after `page.after`, in that
// order; without: all of them (a search by relevance ranks them afterwards).
export function searchedIds(input: {
  userId: string;
  query: string;
  where: SQL | undefined;
  page?: { limit: number; after?: { createdAt: Date; id: string } };
}): SQL {
  const { userId, query, page } = input;
  // `(select q from tsq)`: the query is parsed once, not once per candidate (a
  // prepared statement's generic plan would not fold to_tsquery of a parameter).
  const matches = and(sql`${imageJobs.userId} = ${userId}`, sql`${searchColumn} @@ (select q from tsq)`, input.where);
  const kind = (name: string) => sql`(select kind from choice) = ${name}`;
  const limit = page ? sql` limit ${page.limit}` : sql``;
  const newest = page ? sql` order by ${imageJobs.createdAt} desc nulls last, ${imageJobs.id} desc nulls last` : sql``;
  const after = page?.after;
  const cursor = after ? sql`and (p.created_at, p.job_id) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``;
  const order = page ? sql`order by p.created_at desc nulls last, p.job_id desc nulls last` : sql``;
  // Candidates newest first (the ORDER BY also keeps the subquery from being
  // flattened into a join the planner might hash and sort). Each must hold all
  // of the query's whole words, counted in the same index without reading a
  // row (a count, which the planner cannot turn into a join over all of the
  // person's postings); only then is its job read, one at a time (LATERAL),
  // until the page is full.
  const allWords = sql`case when (select cardinality(exact_terms) from choice) = 0 then true else
      (select count(*) from ${jobTerms} o where o.user_id = ${userId} and o.term = any((select exact_terms from choice)::text[])
        and o.created_at = p.created_at and o.job_id = p.job_id) = (select cardinality(exact_terms) from choice) end`;
  const checked = (candidates: SQL) => sql`select p.job_id from (${candidates} ${order}) p
      cross join lateral (select 1 from ${imageJobs} where ${imageJobs.id} = p.job_id and ${matches} limit 1) j
      where ${allWords}
      ${order}${limit}`;
  // The rarest word's postings come newest first from the index (user_id, term, created_at, job_id).
  const exact = checked(sql`select p.job_id, p.created_at from ${jobTerms} p
      where ${kind("exact")} and p.user_id = ${userId} and p.term = (select exact_term from choice) ${cursor}`);
  // A job holds several terms of one prefix ("storm", "stormy"): distinct.
  const prefix = checked(sql`select distinct p.job_id, p.created_at from ${jobTerms} p
      where ${kind("prefix")} and p.user_id = ${userId} and ${prefixRange(sql`(select prefix_term from choice)`)} ${cursor}`);
  const walk = sql`select ${imageJobs.id} from ${imageJobs} where ${kind("walk")} and ${matches}${newest}${limit}`;
  return sql`with ${plan(userId, query)} (${exact}) union all (${prefix}) union all (${walk})`;
}
