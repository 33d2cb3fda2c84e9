"use client";
// The studio's live list of the person's recent jobs. Kept current by the
// person's event stream (GET /api/events, see ../use-job-events.ts): each change
// to a job arrives as it happens, with its progress and preview. Only while the
// stream is down does the list fall back to polling GET /api/jobs while anything
// is queued or processing: polling backs off while nothing changes, pauses while
// the tab is hidden and stops when nothing is pending; a create or retry brings
// the next poll forward.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type Job, jobsApi } from "@/lib/client/api";
import { isPending } from "../format";
import { isDeleted, useJobEvents } from "../use-job-events";

const FIRST_POLL_MS = 600;
const MAX_POLL_MS = 8000;

// Jobs the server does not list yet but that are newer than everything it
// listed were just created here (the poll raced the POST): keep them.
function merge(current: Job[], fresh: Job[], limit: number): Job[] {
  const freshIds = new Set(fresh.map((j) => j.job_id));
  const newest = fresh[0]?.created_at ?? "";
  const localOnly = current.filter((j) => !freshIds.has(j.job_id) && j.created_at > newest);
  return [...localOnly, ...fresh].slice(0, limit);
}

const signature = (jobs: Job[]) => jobs.map((j) => `${j.job_id}:${j.status}:${j.attempts}:${j.updated_at}`).join("|");

function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== "hidden");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

// The stream can overtake the answer to the POST that created a job: never go back in time.
const newer = (a: Job, b: Job) => (a.updated_at > b.updated_at ? a : b);

// A job from the stream: replaces its old copy, or joins the list in order if
// it is newer than the oldest shown (created in another tab, say).
function place(current: Job[], job: Job, limit: number): Job[] {
  if (current.some((j) => j.job_id === job.job_id)) return current.map((j) => (j.job_id === job.job_id ? newer(j, job) : j));
  const oldest = current.at(-1)?.created_at ?? "";
  if (current.length >= limit && job.created_at < oldest) return current;
  return [...current, job].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0)).slice(0, limit);
}

export type LiveJobs = {
  jobs: Job[];
  /** Something is pending and the list is kept live (by the stream, or by polling while the tab is visible). */
  live: boolean;
  /** The event stream is up: polling is off. */
  streaming: boolean;
  /** Something is queued or processing (whether or not the tab is visible). */
  hasPending: boolean;
  /** The latest "image ready" / "job failed" sentence, for a polite live region. */
  announcement: string;
  /** Put a job the person just created or retried into the list, and poll soon. */
  upsert: (job: Job) => void;
};

export function useLiveJobs(initialJobs: Job[], feedLimit: number): LiveJobs {
  const [jobs, setJobs] = useState<Job[]>(initialJobs);
  const [announcement, setAnnouncement] = useState("");
  const jobsRef = useRef(jobs);
  jobsRef.current = jobs;
  const visible = useDocumentVisible();
  const hasPending = jobs.some((j) => isPending(j.status));

  const applyJobs = useCallback((next: Job[]) => {
    const before = new Map(jobsRef.current.map((j) => [j.job_id, j.status]));
    for (const job of next) {
      const was = before.get(job.job_id);
      if (was && isPending(was) && !isPending(job.status)) {
        setAnnouncement(job.status === "completed" ? `Image ready: ${job.prompt.slice(0, 80)}` : `Job failed: ${job.prompt.slice(0, 80)}`);
      }
    }
    jobsRef.current = next;
    setJobs(next);
  }, []);

  // Set by the polling loop while it runs: brings the next poll forward after
  // a create or retry instead of waiting out a long backoff.
  const pollSoon = useRef<() => void>(() => {});

  const refreshOnce = useCallback(async () => {
    try {
      const { jobs: fresh } = await jobsApi.list({ limit: feedLimit });
      const merged = merge(jobsRef.current, fresh, feedLimit);
      if (signature(merged) !== signature(jobsRef.current)) applyJobs(merged);
    } catch {}
  }, [feedLimit, applyJobs]);

  const { connected: streaming } = useJobEvents(true, {
    onJob(job) {
      if (isDeleted(job)) {
        if (jobsRef.current.some((j) => j.job_id === job.job_id)) applyJobs(jobsRef.current.filter((j) => j.job_id !== job.job_id));
        return;
      }
      applyJobs(place(jobsRef.current, job, feedLimit));
    },
    // Back after being down: one read of the list, then the stream again.
    onReconnect: () => void refreshOnce(),
  });
  // Polling is the fallback: only while the stream is down.
  const polling = hasPending && visible && !streaming;
  const live = hasPending && (streaming || visible);

  useEffect(() => {
    if (!polling) return;
    let delay = FIRST_POLL_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let stopped = false;
    const controller = new AbortController();
    const tick = async () => {
      inFlight = true;
      try {
        const { jobs: fresh } = await jobsApi.list({ limit: feedLimit }, controller.signal);
        if (stopped) return;
        const merged = merge(jobsRef.current, fresh, feedLimit);
        const changed = signature(merged) !== signature(jobsRef.current);
        if (changed) applyJobs(merged);
        delay = changed ? FIRST_POLL_MS : Math.min(Math.round(delay * 1.6), MAX_POLL_MS);
      } catch (error) {
        if (stopped || (error instanceof ApiError && error.redirecting)) return;
        delay = Math.min(delay * 2, MAX_POLL_MS * 2);
      } finally {
        inFlight = false;
      }
      if (!stopped) timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    pollSoon.current = () => {
      delay = FIRST_POLL_MS;
      if (inFlight) return; // its own reschedule picks up the short delay
      clearTimeout(timer);
      timer = setTimeout(tick, delay);
    };
    return () => {
      stopped = true;
      pollSoon.current = () => {};
      clearTimeout(timer);
      controller.abort();
    };
  }, [polling, feedLimit, applyJobs]);

  const upsert = useCallback(
    (job: Job) => {
      const rest = jobsRef.current.filter((j) => j.job_id !== job.job_id);
      const index = jobsRef.current.findIndex((j) => j.job_id === job.job_id);
      const next = index === -1 ? [job, ...rest] : jobsRef.current.map((j) => (j.job_id === job.job_id ? newer(j, job) : j));
      applyJobs(next.slice(0, feedLimit));
      pollSoon.current();
    },
    [applyJobs, feedLimit],
  );

  return { jobs, live, streaming, hasPending, announcement, upsert };
}

// A clock for elapsed times: starts from the server's time (so the first
// render matches), then ticks every second only while `ticking`.
export function useNow(serverNow: number, ticking: boolean): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    setNow(Date.now());
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
