// Prompt search and the filters of GET /api/jobs, as SQL conditions on
// image_jobs. Everything here runs inside the person's own RLS transaction
// (lib/jobs/queries.ts), and every subquery names the owner again.
//
// The search text never reaches PostgreSQL's tsquery parser as typed: it is cut
// into words of letters and digits only, and those are joined with `&`, the
// last one as a prefix (`:*`). Quotes, operators, parentheses and the like are
// separators, so no input can be a syntax error (a 500) or a crafted query.
import { type SQL, sql } from "drizzle-orm";
import { collectionImages, favourites, imageJobs, jobImages } from "@/db/schema";

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

export function filterConditions(userId: string, f: JobFilters): (SQL | undefined)[] {
  return [
    f.query ? sql`${searchColumn} @@ ${tsQuery(f.query)}` : undefined,
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
