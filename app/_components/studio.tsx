"use client";
// The studio: the generate form and, beside it, the person's recent jobs,
// kept live by polling GET /api/jobs while anything is queued or processing.
// Polling backs off while nothing changes and stops when nothing is pending
// or the tab is hidden.
import Link from "next/link";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ApiError, type Job, jobsApi } from "@/lib/client/api";
import { describeTiming, formatAgo, isPending, styleLabel } from "./format";
import { Spinner } from "./spinner";
import { StatusBadge } from "./status-badge";
import { button, card, field, link } from "./ui";

type Props = {
  initialJobs: Job[];
  serverNow: number;
  feedLimit: number;
  styles: readonly string[];
  qualities: readonly string[];
  maxPromptLength: number;
  modelLabel: string;
};

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

export function Studio({ initialJobs, serverNow, feedLimit, styles, qualities, maxPromptLength, modelLabel }: Props) {
  const [jobs, setJobs] = useState<Job[]>(initialJobs);
  const [now, setNow] = useState(serverNow);
  const [announcement, setAnnouncement] = useState("");
  const jobsRef = useRef(jobs);
  jobsRef.current = jobs;
  const visible = useDocumentVisible();
  const hasPending = jobs.some((j) => isPending(j.status));
  const live = hasPending && visible;

  // A clock for elapsed times: ticks only while something is pending.
  useEffect(() => {
    setNow(Date.now());
    if (!hasPending) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [hasPending]);

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

  return (
    <div className="grid items-start gap-8 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)] lg:gap-10">
      <section aria-labelledby="new-image-heading" className={`${card} p-5 sm:p-6 lg:sticky lg:top-24`}>
        <h2 id="new-image-heading" className="font-display text-xl font-semibold tracking-tight">
          New image
        </h2>
        <p className="mt-1 mb-5 text-sm text-muted">Describe what you want to see. It develops on the right.</p>
        <GenerateForm styles={styles} qualities={qualities} maxPromptLength={maxPromptLength} onCreated={upsert} />
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
              <span className="inline-flex items-center gap-1.5 text-xs font-medium text-muted" data-testid="live-indicator">
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

const DRAFT_KEY = "darkroom:draft";
type Draft = { prompt: string; style: string; quality: string };

function saveDraft(draft: Draft) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // storage unavailable: the draft is simply not kept
  }
}

function readDraft(): Draft | null {
  try {
    const raw = sessionStorage.getItem(DRAFT_KEY);
    sessionStorage.removeItem(DRAFT_KEY);
    const draft = raw ? (JSON.parse(raw) as Partial<Draft>) : null;
    if (draft && typeof draft.prompt === "string" && typeof draft.style === "string" && typeof draft.quality === "string") {
      return { prompt: draft.prompt, style: draft.style, quality: draft.quality };
    }
  } catch {
    // unreadable: ignore it
  }
  return null;
}

function newKey(): string {
  // randomUUID needs a secure context; getRandomValues works everywhere.
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

type FieldError = { field: string | null; text: string };

function GenerateForm({
  styles,
  qualities,
  maxPromptLength,
  onCreated,
}: {
  styles: readonly string[];
  qualities: readonly string[];
  maxPromptLength: number;
  onCreated: (job: Job) => void;
}) {
  const [prompt, setPrompt] = useState("");
  const [style, setStyle] = useState(styles[0] ?? "realistic");
  const [quality, setQuality] = useState(qualities[0] ?? "standard");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<FieldError | null>(null);
  const [sent, setSent] = useState("");
  const busy = useRef(false);
  // One key per distinct request: a resend after a lost response is deduplicated
  // by the server instead of creating a second job.
  const keyFor = useRef<{ signature: string; key: string } | null>(null);
  const id = useId();

  // A prompt written when the session ran out is kept for after signing in again.
  useEffect(() => {
    const draft = readDraft();
    if (!draft) return;
    setPrompt(draft.prompt);
    if (styles.includes(draft.style)) setStyle(draft.style);
    if (qualities.includes(draft.quality)) setQuality(draft.quality);
  }, [styles, qualities]);
  const ids = { prompt: `${id}-prompt`, count: `${id}-count`, style: `${id}-style`, quality: `${id}-quality`, error: `${id}-error` };

  const submit = async () => {
    if (busy.current) return;
    busy.current = true;
    setSubmitting(true);
    setError(null);
    setSent("");
    const input = { prompt, style, quality };
    const signature = JSON.stringify(input);
    if (keyFor.current?.signature !== signature) keyFor.current = { signature, key: newKey() };
    try {
      const job = await jobsApi.create(input, keyFor.current.key);
      keyFor.current = null;
      setPrompt("");
      setSent("Sent to the darkroom. Watch it develop in Recent jobs.");
      onCreated(job);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, "Something went wrong. Try again.");
      if (err.redirecting) saveDraft(input);
      setError({ field: err.field, text: err.message });
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  };

  const errorFor = (name: string) => (error && error.field === name ? error.text : null);
  const generalError = error && !["prompt", "style", "quality"].includes(error.field ?? "") ? error.text : null;
  const length = prompt.length;
  const nearLimit = length > maxPromptLength * 0.9;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      className="space-y-5"
      aria-busy={submitting}
    >
      <div>
        <div className="flex items-baseline justify-between gap-3">
          <label htmlFor={ids.prompt} className={field.label}>
            Prompt
          </label>
          <span id={ids.count} className={`text-xs tabular-nums ${nearLimit ? "font-medium text-warn" : "text-muted"}`} data-testid="prompt-count">
            {length} / {maxPromptLength}
            <span className="sr-only"> characters</span>
          </span>
        </div>
        <textarea
          id={ids.prompt}
          name="prompt"
          rows={6}
          required
          maxLength={maxPromptLength}
          value={prompt}
          onChange={(e) => {
            setPrompt(e.target.value);
            if (error?.field === "prompt") setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              void submit();
            }
          }}
          placeholder="A lighthouse at dusk, long exposure, fog rolling over the rocks"
          aria-invalid={errorFor("prompt") ? true : undefined}
          aria-describedby={[ids.count, errorFor("prompt") ? `${ids.error}-prompt` : null].filter(Boolean).join(" ")}
          className={`${field.input} min-h-36 resize-y leading-relaxed`}
        />
        {errorFor("prompt") ? (
          <p id={`${ids.error}-prompt`} role="alert" className={`${field.error} mt-1.5`}>
            {errorFor("prompt")}
          </p>
        ) : (
          <p className={`${field.hint} mt-1.5`}>Press Ctrl + Enter to generate.</p>
        )}
      </div>

      <div className="grid grid-cols-2 gap-3">
        <Select id={ids.style} label="Style" value={style} onChange={setStyle} error={errorFor("style")}>
          {styles.map((s) => (
            <option key={s} value={s}>
              {styleLabel(s)}
            </option>
          ))}
        </Select>
        <Select id={ids.quality} label="Quality" value={quality} onChange={setQuality} error={errorFor("quality")}>
          {qualities.map((q) => (
            <option key={q} value={q}>
              {q === "high" ? "High" : "Standard"}
            </option>
          ))}
        </Select>
      </div>

      <div>
        <button type="submit" className={`${button.primary} w-full py-3`} disabled={submitting} aria-disabled={submitting}>
          {submitting ? <Spinner /> : null}
          {submitting ? "Sending…" : "Generate"}
        </button>
        <div className="mt-2 text-sm empty:hidden" aria-live="polite">
          {generalError ? (
            <p role="alert" className="text-danger">
              {generalError}
            </p>
          ) : sent ? (
            <p className="text-muted">{sent}</p>
          ) : null}
        </div>
      </div>
    </form>
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  error,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className={field.label}>
        {label}
      </label>
      <div className="relative">
        <select
          id={id}
          name={label.toLowerCase()}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={field.select}
        >
          {children}
        </select>
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-muted"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
        >
          <path d="m5 8 5 5 5-5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className={`${field.error} mt-1.5`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function JobCard({ job, now, onUpdated }: { job: Job; now: number; onUpdated: (job: Job) => void }) {
  const href = `/jobs/${job.job_id}`;
  const pending = isPending(job.status);
  return (
    <li className="flex gap-4 p-4" data-testid="job-card" data-job-id={job.job_id} data-status={job.status} aria-busy={pending}>
      <Link href={href} tabIndex={-1} aria-hidden="true" className="block size-16 shrink-0 overflow-hidden rounded-lg border border-line bg-raised sm:size-20">
        {job.status === "completed" && job.thumbnail_url ? (
          // biome-ignore lint/performance/noImgElement: private, owner-checked image routes; never the optimizer
          <img src={job.thumbnail_url} alt="" width={80} height={80} className="size-full object-cover" />
        ) : pending ? (
          <span className="developing block size-full" />
        ) : (
          <span className="grid size-full place-items-center text-danger">
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
              <path
                d="M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.3A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.7L13.7 3.9a2 2 0 0 0-3.4 0Z"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
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
            {styleLabel(job.style)} · {job.quality === "high" ? "High" : "Standard"} · <span data-testid="elapsed">{describeTiming(job, now)}</span> ·{" "}
            {formatAgo(job.created_at, now)}
          </span>
        </div>
        {job.status === "failed" ? <FailedJob job={job} onUpdated={onUpdated} /> : null}
      </div>
    </li>
  );
}

function FailedJob({ job, onUpdated }: { job: Job; onUpdated: (job: Job) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const retry = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onUpdated(await jobsApi.retry(job.job_id));
    } catch (e) {
      setError(e instanceof Error ? e.message : "Retry failed. Try again.");
      setBusy(false);
    }
  };
  return (
    <div className="mt-2.5 space-y-2">
      <p className="rounded-md border border-danger/30 bg-danger-soft px-2.5 py-1.5 text-xs text-danger" data-testid="job-error">
        {job.error ?? "The image could not be generated."}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={retry}
          disabled={busy}
          className={button.small}
          aria-describedby={error ? errorId : undefined}
          aria-label={`Retry: ${job.prompt.slice(0, 60)}`}
        >
          {busy ? <Spinner className="size-3.5" /> : null}
          Retry
        </button>
        {error ? (
          <p id={errorId} role="alert" className="text-xs text-danger">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
