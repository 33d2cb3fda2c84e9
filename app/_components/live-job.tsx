"use client";
// A queued or processing job on its own page, kept live by the person's event
// stream: the progress bar and the preview follow the renderer, and a change of
// status (or a deletion) reloads the page's server data. While the stream is
// down the page falls back to refreshing itself (PendingRefresher).
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Job } from "@/lib/client/api";
import { PendingRefresher } from "./job-actions";
import { JobProgressBar } from "./job-progress";
import { isDeleted, useJobEvents } from "./use-job-events";

export function LivePendingJob({ job }: { job: Job }) {
  const router = useRouter();
  const [live, setLive] = useState({ progress: job.progress, preview: job.preview_url });
  const { connected } = useJobEvents(true, {
    onJob(next) {
      if (next.job_id !== job.job_id) return;
      if (isDeleted(next) || next.status !== job.status) return router.refresh();
      setLive({ progress: next.progress, preview: next.preview_url });
    },
    onProgress(progress) {
      if (progress.job_id === job.job_id) setLive((current) => ({ ...current, progress }));
    },
    onPreview(preview) {
      if (preview.job_id === job.job_id) setLive((current) => ({ ...current, preview: preview.url }));
    },
    // Back after being down: the page may have missed a change of status.
    onReconnect: () => router.refresh(),
  });
  return (
    <div
      className={`relative grid aspect-square w-full place-items-center overflow-hidden rounded-lg ${live.preview ? "bg-raised" : "developing"}`}
      data-testid="job-placeholder"
      data-source={connected ? "stream" : "polling"}
    >
      {connected ? null : <PendingRefresher />}
      {live.preview ? (
        // biome-ignore lint/performance/noImgElement: private, owner-checked preview route; never the optimizer
        <img src={live.preview} alt="" className="absolute inset-0 size-full object-contain opacity-80 blur-[1px]" data-testid="job-preview" />
      ) : null}
      <div className="relative w-full max-w-xs px-6 text-center">
        <p role="status" aria-live="polite" className="font-display text-lg text-fg">
          {job.status === "queued" ? "Waiting for the enlarger…" : "Developing…"}
        </p>
        {job.status === "processing" ? <JobProgressBar progress={live.progress} label="Rendering progress" className="mt-3" /> : null}
      </div>
    </div>
  );
}
