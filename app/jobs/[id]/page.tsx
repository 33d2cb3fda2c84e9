import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/app/_components/app-shell";
import { isNotFound } from "@/app/_components/errors";
import { describeTiming, formatDuration, isPending, modelLabel, qualityLabel, styleLabel } from "@/app/_components/format";
import { DeleteJobButton, RetryJobButton, VaryJobButton } from "@/app/_components/job-actions";
import { ExtraImages, ImageFiles } from "@/app/_components/job-images";
import { LivePendingJob } from "@/app/_components/live-job";
import { LocalTime } from "@/app/_components/local-time";
import { AddToCollection } from "@/app/_components/organise-actions";
import { requirePageUser } from "@/app/_components/session";
import { ShareForm } from "@/app/_components/share-actions";
import { StatusBadge } from "@/app/_components/status-badge";
import { button } from "@/app/_components/ui";
import { settingsHref } from "@/lib/client/settings";
import { listCollections } from "@/lib/collections/service";
import { getJob } from "@/lib/jobs/service";

export const metadata: Metadata = { title: "Image" };

async function loadJob(userId: string, id: string) {
  try {
    return await getJob(userId, id);
  } catch (error) {
    // Someone else's job, a missing one and a malformed id look exactly alike.
    if (isNotFound(error)) notFound();
    throw error;
  }
}

export default async function JobPage({ params }: PageProps<"/jobs/[id]">) {
  const { id } = await params;
  const user = await requirePageUser(`/jobs/${encodeURIComponent(id)}`);
  const job = await loadJob(user.id, id);
  const { collections } = job.status === "completed" ? await listCollections(user.id) : { collections: [] };
  const now = Date.now();
  const pending = isPending(job.status);
  const completed = job.status === "completed" && job.image_url;

  return (
    <AppShell user={user} section={null}>
      <nav aria-label="Breadcrumb" className="mb-6 text-sm text-muted">
        <ol className="flex flex-wrap items-center gap-2">
          <li>
            <Link href="/gallery" className="hover:text-fg hover:underline">
              Gallery
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="text-fg">
            Image
          </li>
        </ol>
      </nav>

      <div className="grid items-start gap-8 lg:grid-cols-[minmax(0,7fr)_minmax(0,5fr)] lg:gap-12">
        <figure className="rounded-2xl border border-line bg-surface p-3 shadow-print sm:p-4">
          {completed ? (
            // biome-ignore lint/performance/noImgElement: private, owner-checked image route; never the optimizer
            <img
              src={job.image_url ?? ""}
              alt={job.prompt}
              width={job.width ?? 1024}
              height={job.height ?? 1024}
              className="mx-auto block h-auto max-h-[75vh] w-auto max-w-full rounded-lg"
              data-testid="job-image"
              data-image-index={0}
            />
          ) : pending ? (
            // Keyed by status: a new status from the server starts it afresh.
            <LivePendingJob key={job.status} job={job} />
          ) : (
            <div
              className={`grid aspect-square w-full place-items-center rounded-lg ${pending ? "developing" : "border border-dashed border-line-strong/50 bg-raised"}`}
              data-testid="job-placeholder"
            >
              <div className="px-6 text-center">
                {pending ? null : (
                  <svg viewBox="0 0 24 24" className="mx-auto mb-3 size-8 text-danger" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
                    <path
                      d="M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.3A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.7L13.7 3.9a2 2 0 0 0-3.4 0Z"
                      strokeLinecap="round"
                      strokeLinejoin="round"
                    />
                  </svg>
                )}
                <p className="font-display text-lg text-fg">
                  {job.status === "queued" ? "Waiting for the enlarger…" : pending ? "Developing…" : "This image did not develop"}
                </p>
                {job.status === "failed" ? <p className="mt-1 text-sm text-muted">Retry it, or delete it to clear it away.</p> : null}
              </div>
            </div>
          )}
          {completed ? <ExtraImages job={job} /> : null}
          {completed ? (
            <figcaption className="mt-3 flex flex-wrap items-center justify-between gap-2 px-1 text-xs text-muted">
              <span>
                {job.width} × {job.height} px
              </span>
              <span>{modelLabel(job.model)}</span>
            </figcaption>
          ) : null}
        </figure>

        <div className="min-w-0 space-y-7">
          <div>
            <div className="flex flex-wrap items-center gap-3">
              <StatusBadge status={job.status} />
              <span className="text-xs text-muted">{describeTiming(job, now)}</span>
            </div>
            <h1
              className={`mt-3 font-display leading-snug font-semibold tracking-tight break-words whitespace-pre-wrap ${
                job.prompt.length > 160 ? "text-lg sm:text-xl" : "text-2xl sm:text-3xl"
              }`}
            >
              {job.prompt}
            </h1>
          </div>

          {job.status === "failed" ? (
            <div role="alert" className="rounded-xl border border-danger/40 bg-danger-soft px-4 py-3 text-sm text-danger" data-testid="job-error">
              <p className="font-medium">Generation failed</p>
              <p className="mt-0.5">{job.error ?? "The image could not be generated."}</p>
            </div>
          ) : null}

          <div className="flex flex-wrap items-start gap-3">
            {completed ? (
              <a href={`/api/images/${job.job_id}?download=1`} download className={button.primary}>
                <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
                  <path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
                Download
              </a>
            ) : null}
            {job.status === "failed" ? <RetryJobButton jobId={job.job_id} /> : null}
            {completed ? <VaryJobButton jobId={job.job_id} /> : null}
            <Link href={settingsHref(job)} className={button.secondary}>
              Use these settings
            </Link>
            <DeleteJobButton jobId={job.job_id} />
          </div>

          {completed ? <ImageFiles job={job} /> : null}
          {completed && collections.length > 0 ? (
            <section aria-labelledby="collect-heading" className="rounded-xl border border-line bg-surface px-4 py-3 text-sm">
              <h2 id="collect-heading" className="mb-2 font-medium">
                Collections
              </h2>
              <AddToCollection images={job.images} collections={collections} />
            </section>
          ) : null}

          {completed ? (
            <section aria-labelledby="share-heading" className="rounded-xl border border-line bg-surface px-4 py-3 text-sm">
              <h2 id="share-heading" className="mb-2 font-medium">
                Share
              </h2>
              <ShareForm images={job.images} />
            </section>
          ) : null}

          <dl className="divide-y divide-line rounded-xl border border-line bg-surface text-sm">
            <Row label="Style">{styleLabel(job.style)}</Row>
            <Row label="Quality">{qualityLabel(job.quality)}</Row>
            <Row label="Model">{modelLabel(job.model)}</Row>
            <Row label="Aspect ratio">{job.aspect_ratio}</Row>
            <Row label="Images">{job.n}</Row>
            <Row label="Seed">{job.seed === null ? "None (the model takes no seed)" : job.n > 1 ? `${job.seed} (image i uses seed + i)` : job.seed}</Row>
            {job.negative_prompt ? <Row label="Leave out">{job.negative_prompt}</Row> : null}
            {job.width && job.height ? (
              <Row label="Size">
                {job.width} × {job.height} px
              </Row>
            ) : null}
            <Row label="Attempts">{job.attempts}</Row>
            <Row label="Created">
              <LocalTime iso={job.created_at} />
            </Row>
            {job.completed_at ? (
              <Row label="Completed">
                <LocalTime iso={job.completed_at} />
              </Row>
            ) : null}
            {job.completed_at ? <Row label="Time taken">{formatDuration(Date.parse(job.completed_at) - Date.parse(job.created_at))}</Row> : null}
            <Row label="Last update">
              <LocalTime iso={job.updated_at} />
            </Row>
          </dl>
        </div>
      </div>
    </AppShell>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-3 px-4 py-2.5 sm:grid-cols-[8rem_minmax(0,1fr)]">
      <dt className="text-muted">{label}</dt>
      <dd className="text-fg tabular-nums">{children}</dd>
    </div>
  );
}
