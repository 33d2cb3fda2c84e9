"use client";
// One job in the studio's recent list: thumbnail (or the developing tray),
// prompt linking to its page, status and timing, and for a failed job its
// error and a Retry.
import Link from "next/link";
import { type Job, jobsApi } from "@/lib/client/api";
import { ActionButton } from "../action-button";
import { describeTiming, formatAgo, isPending, qualityShortLabel, styleLabel } from "../format";
import { JobProgressBar } from "../job-progress";
import { StatusBadge } from "../status-badge";
import { button } from "../ui";

export function JobCard({ job, now, onUpdated }: { job: Job; now: number; onUpdated: (job: Job) => void }) {
  const href = `/jobs/${job.job_id}`;
  const pending = isPending(job.status);
  return (
    <li className="flex gap-4 p-4" data-testid="job-card" data-job-id={job.job_id} data-status={job.status} aria-busy={pending}>
      <Link href={href} tabIndex={-1} aria-hidden="true" className="block size-16 shrink-0 overflow-hidden rounded-lg border border-line bg-raised sm:size-20">
        {job.status === "completed" && job.thumbnail_url ? (
          // biome-ignore lint/performance/noImgElement: private, owner-checked image routes; never the optimizer
          <img src={job.thumbnail_url} alt="" width={80} height={80} className="size-full object-cover" />
        ) : pending && job.preview_url ? (
          // biome-ignore lint/performance/noImgElement: private, owner-checked preview route; never the optimizer
          <img src={job.preview_url} alt="" width={80} height={80} className="size-full object-cover" data-testid="job-preview" />
        ) : pending ? (
          <span className="developing block size-full" />
        ) : (
          <span className="grid size-full place-items-center text-danger">
            <WarningIcon />
          </span>
        )}
      </Link>
      <div className="min-w-0 flex-1">
        <Link href={href} className="line-clamp-2 text-sm leading-snug font-medium break-words text-fg hover:underline">
          {job.prompt}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
          <StatusBadge status={job.status} />
          <span>
            {styleLabel(job.style)} · {qualityShortLabel(job.quality)} · <span data-testid="elapsed">{describeTiming(job, now)}</span> ·{" "}
            {formatAgo(job.created_at, now)}
          </span>
        </div>
        {job.status === "processing" ? <JobProgressBar progress={job.progress} label={`Rendering: ${job.prompt.slice(0, 60)}`} className="mt-2.5" /> : null}
        {job.status === "failed" ? <FailedJob job={job} onUpdated={onUpdated} /> : null}
      </div>
    </li>
  );
}

function FailedJob({ job, onUpdated }: { job: Job; onUpdated: (job: Job) => void }) {
  return (
    <div className="mt-2.5 space-y-2">
      <p className="rounded-md border border-danger/30 bg-danger-soft px-2.5 py-1.5 text-xs text-danger" data-testid="job-error">
        {job.error ?? "The image could not be generated."}
      </p>
      <ActionButton
        compact
        className={button.small}
        label={`Retry: ${job.prompt.slice(0, 60)}`}
        fallbackError="Retry failed. Try again."
        action={async () => onUpdated(await jobsApi.retry(job.job_id))}
      >
        Retry
      </ActionButton>
    </div>
  );
}

function WarningIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
      <path
        d="M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.3A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.7L13.7 3.9a2 2 0 0 0-3.4 0Z"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
