"use client";
// The studio's live list of the person's recent jobs, kept current by polling
// GET /api/jobs while anything is queued or processing. Polling backs off
// while nothing changes, pauses while the tab is hidden and stops when
// nothing is pending; a create or retry brings the next poll forward.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type Job, jobsApi } from "@/lib/client/api";
import { isPending } from "../format";

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

export type LiveJobs = {
  jobs: Job[];
  /** Something is pending and the tab is visible: the list is being polled. */
  live: boolean;
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
  const live = hasPending && visible;

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

  useEffect(() => {
    if (!live) return;
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
  }, [live, feedLimit, applyJobs]);

  const upsert = useCallback(
    (job: Job) => {
      const rest = jobsRef.current.filter((j) => j.job_id !== job.job_id);
      const index = jobsRef.current.findIndex((j) => j.job_id === job.job_id);
      const next = index === -1 ? [job, ...rest] : jobsRef.current.map((j) => (j.job_id === job.job_id ? job : j));
      applyJobs(next.slice(0, feedLimit));
      pollSoon.current();
    },
    [applyJobs, feedLimit],
  );

  return { jobs, live, hasPending, announcement, upsert };
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
