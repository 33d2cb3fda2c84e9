"use client";
// The studio: the generate form and, beside it, the person's recent jobs,
// kept live while anything is queued or processing (see use-live-jobs.ts).
import Link from "next/link";
import type { Job } from "@/lib/client/api";
import type { Quality, Style } from "@/lib/client/options";
import type { Settings } from "@/lib/client/settings";
import type { PublicModel } from "@/lib/models/public";
import { card, link } from "../ui";
import { GenerateForm } from "./generate-form";
import { JobCard } from "./job-card";
import { useLiveJobs, useNow } from "./use-live-jobs";

type Props = {
  initialJobs: Job[];
  serverNow: number;
  feedLimit: number;
  styles: readonly Style[];
  qualities: readonly Quality[];
  maxPromptLength: number;
  modelLabel: string;
  models: PublicModel[];
  initial: Settings;
};

export function Studio({ initialJobs, serverNow, feedLimit, styles, qualities, maxPromptLength, modelLabel, models, initial }: Props) {
  const { jobs, live, streaming, hasPending, announcement, upsert } = useLiveJobs(initialJobs, feedLimit);
  const now = useNow(serverNow, hasPending);

  return (
    <div className="grid items-start gap-8 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)] lg:gap-10">
      <section aria-labelledby="new-image-heading" className={`${card} p-5 sm:p-6 lg:sticky lg:top-24`}>
        <h2 id="new-image-heading" className="font-display text-xl font-semibold tracking-tight">
          New image
        </h2>
        <p className="mt-1 mb-5 text-sm text-muted">Describe what you want to see. It develops on the right.</p>
        <GenerateForm styles={styles} qualities={qualities} maxPromptLength={maxPromptLength} models={models} initial={initial} onCreated={upsert} />
        <p className="mt-5 flex items-center gap-2 border-t border-line pt-4 text-xs text-muted">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-accent" />
          Renderer: {modelLabel}
        </p>
      </section>

      <section aria-labelledby="recent-heading">
        <div className="mb-4 flex items-center justify-between gap-3">
          <div className="flex items-center gap-3">
            <h2 id="recent-heading" className="font-display text-xl font-semibold tracking-tight">
              Recent jobs
            </h2>
            {live ? (
              <span
                className="inline-flex items-center gap-1.5 text-xs font-medium text-muted"
                data-testid="live-indicator"
                data-source={streaming ? "stream" : "polling"}
              >
                <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-accent" />
                Updating live
              </span>
            ) : null}
          </div>
          <Link href="/gallery" className={`${link} text-sm`}>
            Open gallery
          </Link>
        </div>
        <p role="status" aria-live="polite" className="sr-only">
          {announcement}
        </p>
        {jobs.length === 0 ? (
          <div className="rounded-2xl border border-dashed border-line-strong/50 px-6 py-14 text-center">
            <p className="font-display text-lg font-medium">The tray is empty</p>
            <p className="mx-auto mt-1 max-w-sm text-sm text-muted">Your first image will appear here as it develops. Write a prompt and press Generate.</p>
          </div>
        ) : (
          <ul className={`${card} divide-y divide-line overflow-hidden`} aria-label="Recent jobs" data-testid="job-feed">
            {jobs.map((job) => (
              <JobCard key={job.job_id} job={job} now={now} onUpdated={upsert} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
