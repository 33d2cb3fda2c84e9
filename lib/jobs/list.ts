// A page of a person's jobs and the page's images. For a plain page in one
// round trip: the images statement selects by the page's own ids (the page's
// statement again, as a subquery), in the same scope. Owner in every WHERE,
// RLS underneath.
//
// Newest first with a keyset cursor (`after`), or, for a search by relevance,
// best match first with a bounded `offset` (lib/jobs/service.ts caps it). A
// search finds its ids first (lib/jobs/search.ts searchedIds), then reads them.
//
// The plain pages — the feed, the gallery, a style, any of them after a
// cursor — are the hot path: their statements are built once (db/prebuilt.ts).
// Pages with filters or a search are built per call, and read their images in
// a second round trip (see below).
import "server-only";
import { and, eq, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import { ownReader, type ScopedReader, type Tx } from "@/db/client";
import { prebuilt } from "@/db/prebuilt";
import { imageJobs, type JobRow } from "@/db/schema";
import { type ImageWithFavourite, imagesOfJobsQuery } from "@/lib/images/queries";
import { filterConditions, type JobFilters, searchColumn, searchedIds, tsQuery } from "./search";

export type Cursor = { createdAt: Date; id: string };

// Matches the index (user_id, created_at DESC NULLS LAST, id DESC NULLS LAST)
// exactly; plain DESC means NULLS FIRST, and the planner would then read all of
// a person's rows and sort them instead of walking the index.
export const newestFirst = [sql`${imageJobs.createdAt} desc nulls last`, sql`${imageJobs.id} desc nulls last`];

// A value, or the placeholder that a statement built once is run with.
type Value = string | SQLWrapper;

const plainConditions = (p: { status?: Value; style?: Value; after?: { createdAt: Value; id: Value } }) => [
  p.status ? eq(imageJobs.status, p.status as JobRow["status"]) : undefined,
  p.style ? eq(imageJobs.style, p.style) : undefined,
  // Keyset pagination: constant cost however deep the page.
  p.after ? sql`(${imageJobs.createdAt}, ${imageJobs.id}) < (${p.after.createdAt}::timestamptz, ${p.after.id}::uuid)` : undefined,
];

type PageSpec = { userId: Value; condition: SQL | undefined; order: SQL[]; limit: number | SQLWrapper; offset: number };

function pageAndImages(tx: Tx, spec: PageSpec) {
  const paged = <T extends PgSelect>(select: T) =>
    select
      .where(and(eq(imageJobs.userId, spec.userId), spec.condition))
      .orderBy(...spec.order)
      .limit(spec.limit as number)
      .offset(spec.offset);
  return {
    page: paged(tx.select().from(imageJobs).$dynamic()),
    images: imagesOfJobsQuery(tx, { userId: spec.userId, jobIds: paged(tx.select({ id: imageJobs.id }).from(imageJobs).$dynamic()) }),
  };
}

type PlainValues = { userId: string; status?: string; style?: string; afterCreatedAt?: string; afterId?: string; limit: number };
type PlainStatements = { page: (tx: Tx, v: PlainValues) => Promise<JobRow[]>; images: (tx: Tx, v: PlainValues) => Promise<ImageWithFavourite[]> };

// One pair of statements per shape (which of status, style and cursor are set): at most eight.
const plainShapes = new Map<string, PlainStatements>();
function plainStatements(shape: { status: boolean; style: boolean; after: boolean }): PlainStatements {
  const key = `${+shape.status}${+shape.style}${+shape.after}`;
  let statements = plainShapes.get(key);
  if (!statements) {
    const p = sql.placeholder;
    const spec = (): PageSpec => ({
      userId: p("userId"),
      condition: and(
        ...plainConditions({
          status: shape.status ? p("status") : undefined,
          style: shape.style ? p("style") : undefined,
          after: shape.after ? { createdAt: p("afterCreatedAt"), id: p("afterId") } : undefined,
        }),
      ),
      order: newestFirst,
      limit: p("limit"),
      offset: 0,
    });
    statements = {
      page: prebuilt<PlainValues, JobRow[]>((tx) => pageAndImages(tx, spec()).page),
      images: prebuilt<PlainValues, ImageWithFavourite[]>((tx) => pageAndImages(tx, spec()).images),
    };
    plainShapes.set(key, statements);
  }
  return statements;
}

export async function listJobs(input: {
  userId: string;
  limit: number;
  after?: Cursor;
  status?: JobRow["status"];
  style?: string;
  filters?: JobFilters;
  relevance?: { offset: number };
  reader?: ScopedReader;
}): Promise<{ rows: JobRow[]; images: ImageWithFavourite[] }> {
  const reader = input.reader ?? ownReader(input.userId);
  if (reader.userId !== input.userId) throw new Error("listJobs: the reader is not the owner");
  const query = input.filters?.query;
  const filters = filterConditions(input.userId, input.filters ?? {}).filter((c) => c !== undefined);
  if (!query && filters.length === 0) {
    const statements = plainStatements({ status: !!input.status, style: !!input.style, after: !!input.after });
    const values: PlainValues = {
      userId: input.userId,
      status: input.status,
      style: input.style,
      afterCreatedAt: input.after?.createdAt.toISOString(),
      afterId: input.after?.id,
      limit: input.limit,
    };
    const [rows, images] = await reader.read((tx) => [statements.page(tx, values), statements.images(tx, values)]);
    return { rows, images };
  }
  const byRelevance = input.relevance && query;
  const where = and(
    ...plainConditions({
      status: input.status,
      style: input.style,
      after: byRelevance ? undefined : input.after && { createdAt: input.after.createdAt.toISOString(), id: input.after.id },
    }),
    ...filters,
  );
  const page = byRelevance ? undefined : { limit: input.limit, after: input.after };
  const searched = query ? sql`${imageJobs.id} in (${searchedIds({ userId: input.userId, query, where, page })})` : undefined;
  const [rows] = await reader.read((tx) => [
    pageAndImages(tx, {
      userId: input.userId,
      condition: searched ?? where,
      order: byRelevance ? [sql`ts_rank(${searchColumn}, (select ${tsQuery(query)})) desc`, ...newestFirst] : newestFirst,
      limit: input.limit,
      offset: byRelevance ? input.relevance!.offset : 0,
    }).page,
  ]);
  // Here the images follow by the page's ids, in a second round trip: as a
  // subquery the page's statement would run its search or filters twice.
  const completed = rows.filter((row) => row.status === "completed").map((row) => row.id);
  const [images] = completed.length > 0 ? await reader.read((tx) => [imagesOfJobsQuery(tx, { userId: input.userId, jobIds: completed })]) : [[]];
  return { rows, images };
}
