import type { Metadata } from "next";
import Link from "next/link";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { firstParam } from "@/app/_components/auth-shell";
import { isInvalidInput } from "@/app/_components/errors";
import { formatAgo, styleLabel } from "@/app/_components/format";
import { requirePageUser } from "@/app/_components/session";
import { button } from "@/app/_components/ui";
import { isStyle, STYLES } from "@/lib/client/options";
import { listCollections } from "@/lib/collections/service";
import { listJobsInput } from "@/lib/jobs/input";
import { listJobs } from "@/lib/jobs/service";
import { BulkGallery } from "./bulk-gallery";
import { type GalleryFilters, SearchForm } from "./search-form";

export const metadata: Metadata = { title: "Gallery" };

// Divides evenly into the 2-, 3- and 4-column grids.
const PAGE_SIZE = 12;

const FILTER_KEYS = ["q", "style", "favourite", "collection", "from", "to", "sort"] as const;

function galleryHref(params: GalleryFilters & { cursor?: string }) {
  const query = new URLSearchParams();
  for (const key of [...FILTER_KEYS, "cursor"] as const) if (params[key]) query.set(key, params[key]!);
  const qs = query.toString();
  return qs ? `/gallery?${qs}` : "/gallery";
}

export default async function GalleryPage({ searchParams }: PageProps<"/gallery">) {
  const params = await searchParams;
  // Empty fields of the search form arrive as `key=`; they mean "no filter".
  const filters: GalleryFilters = Object.fromEntries(FILTER_KEYS.map((k) => [k, firstParam(params[k]) || undefined]).filter(([, v]) => v));
  const style = isStyle(filters.style) ? filters.style : undefined;
  // An unknown style is ignored, as before the search existed.
  if (!style) delete filters.style;
  const cursor = firstParam(params.cursor) || undefined;
  const user = await requirePageUser(galleryHref({ ...filters, cursor }));
  const searching = Object.keys(filters).some((k) => k !== "style" && k !== "sort");
  const { collections } = await listCollections(user.id);

  let page: Awaited<ReturnType<typeof listJobs>> | null = null;
  let badFilters = false;
  const input = listJobsInput.safeParse({ ...filters, limit: PAGE_SIZE, cursor, status: "completed" });
  if (!input.success) badFilters = true;
  else {
    try {
      page = await listJobs(user.id, input.data);
    } catch (error) {
      // A stale or hand-edited cursor: say so instead of failing the page.
      if (!isInvalidInput(error)) throw error;
    }
  }
  const now = Date.now();

  return (
    <AppShell user={user} section="gallery">
      <PageHeading
        title="Gallery"
        actions={
          <Link href="/" className={button.primary}>
            New image
          </Link>
        }
      >
        Every image you have developed, newest first.
      </PageHeading>

      {/* Nothing to search or filter before the first image exists. */}
      {page && page.jobs.length === 0 && !style && !cursor && !searching ? null : <SearchForm filters={filters} collections={collections} />}
      {page && page.jobs.length === 0 && !style && !cursor && !searching ? null : (
        <nav aria-label="Filter by style" className="mb-8">
          <ul className="flex flex-wrap gap-2">
            {[undefined, ...STYLES].map((s) => {
              const current = s === style;
              return (
                <li key={s ?? "all"}>
                  <Link
                    href={galleryHref({ ...filters, style: s })}
                    aria-current={current ? "true" : undefined}
                    className={`inline-block rounded-full border px-3 py-1.5 text-sm transition-colors ${
                      current ? "border-fg bg-fg font-medium text-bg" : "border-line-strong/50 bg-surface text-muted hover:border-line-strong hover:text-fg"
                    }`}
                  >
                    {s ? styleLabel(s) : "All styles"}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      )}

      {badFilters ? (
        <EmptyState title="Those filters were not understood" body="Check the dates and try the search again.">
          <Link href="/gallery" className={button.secondary}>
            Clear the search
          </Link>
        </EmptyState>
      ) : page === null ? (
        <EmptyState title="This page link has expired" body="The gallery changed since this link was made.">
          <Link href={galleryHref({ ...filters })} className={button.secondary}>
            Back to the newest images
          </Link>
        </EmptyState>
      ) : page.jobs.length === 0 ? (
        cursor ? (
          <EmptyState title="No more images" body="You have reached the end of the gallery.">
            <Link href={galleryHref({ ...filters })} className={button.secondary}>
              Back to the newest images
            </Link>
          </EmptyState>
        ) : searching ? (
          <EmptyState title="No images match" body="Try fewer words or filters.">
            <Link href="/gallery" className={button.secondary}>
              Clear the search
            </Link>
          </EmptyState>
        ) : style ? (
          <EmptyState title={`No ${styleLabel(style).toLowerCase()} images yet`} body="Try this style in the studio, or look at all your images.">
            <Link href="/" className={button.primary}>
              Generate one
            </Link>
            <Link href="/gallery" className={button.secondary}>
              Show all styles
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title="Your gallery is empty" body="Develop your first image: describe it in the studio and it will appear here when it's ready.">
            <Link href="/" className={button.primary}>
              Generate your first image
            </Link>
          </EmptyState>
        )
      ) : (
        <>
          <BulkGallery
            collections={collections}
            jobs={page.jobs.map((job) => ({
              job_id: job.job_id,
              prompt: job.prompt,
              thumbnail_url: job.thumbnail_url,
              caption: `${styleLabel(job.style)} · ${formatAgo(job.completed_at ?? job.created_at, now)}`,
            }))}
          />
          <nav aria-label="Gallery pages" className="mt-10 flex flex-wrap items-center justify-center gap-3">
            {cursor ? (
              <Link href={galleryHref({ ...filters })} className={button.secondary}>
                Back to newest
              </Link>
            ) : null}
            {page.next_cursor ? (
              <Link href={galleryHref({ ...filters, cursor: page.next_cursor })} className={button.secondary} rel="next">
                Next page
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </AppShell>
  );
}

function EmptyState({ title, body, children }: { title: string; body: string; children: React.ReactNode }) {
  return (
    <div className="rounded-2xl border border-dashed border-line-strong/50 px-6 py-16 text-center" data-testid="gallery-empty">
      <svg viewBox="0 0 48 48" className="mx-auto mb-4 size-12 text-muted" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
        <rect x="6" y="9" width="36" height="30" rx="3" />
        <path d="m6 33 10-10 8 8 5-5 13 13" strokeLinejoin="round" />
        <circle cx="32" cy="18" r="3" className="text-accent" stroke="var(--accent)" />
      </svg>
      <h2 className="font-display text-xl font-semibold">{title}</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-muted">{body}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">{children}</div>
    </div>
  );
}
