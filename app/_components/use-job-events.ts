"use client";
// The person's live updates (GET /api/events, server-sent events): every change
// to one of their jobs as it happens. `connected` is true while the stream is up;
// callers poll only while it is not (the fallback). EventSource reconnects by
// itself after a network error (sending Last-Event-ID, so the server re-sends
// what changed meanwhile); after a refusal (401, 429, 503) it gives up, and this
// hook opens a new one after a pause.
import { useEffect, useRef, useState } from "react";
import type { Job } from "@/lib/client/api";

export type DeletedJob = { job_id: string; status: "deleted" };
export type JobProgress = { job_id: string; fraction: number; step: number; steps: number };
export type JobEvents = {
  onJob?: (job: Job | DeletedJob) => void;
  onProgress?: (progress: JobProgress) => void;
  onPreview?: (preview: { job_id: string; url: string }) => void;
  // The stream came back after being down: what changed meanwhile may need a reload.
  onReconnect?: () => void;
};

const REOPEN_AFTER_MS = 10_000;

export const isDeleted = (job: Job | DeletedJob): job is DeletedJob => job.status === "deleted";

export function useJobEvents(enabled: boolean, handlers: JobEvents): { connected: boolean } {
  const [connected, setConnected] = useState(false);
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let everConnected = false;
    const parse = (event: Event) => {
      try {
        return JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return null;
      }
    };
    const open = () => {
      source = new EventSource("/api/events");
      source.addEventListener("ready", () => {
        setConnected(true);
        if (everConnected) latest.current.onReconnect?.();
        everConnected = true;
      });
      source.addEventListener("job", (e) => {
        const data = parse(e);
        if (data?.job_id) latest.current.onJob?.(data);
      });
      source.addEventListener("progress", (e) => {
        const data = parse(e);
        if (data?.job_id) latest.current.onProgress?.(data);
      });
      source.addEventListener("preview", (e) => {
        const data = parse(e);
        if (data?.job_id && typeof data.url === "string") latest.current.onPreview?.(data);
      });
      source.addEventListener("reset", () => latest.current.onReconnect?.());
      source.addEventListener("error", () => {
        setConnected(false);
        // CONNECTING: the browser retries by itself. CLOSED: refused; try again later.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          reopen = setTimeout(open, REOPEN_AFTER_MS);
        }
      });
      source.addEventListener("end", () => {
        // The credential stopped working: no point reconnecting at once.
        source?.close();
        setConnected(false);
        if (!stopped) reopen = setTimeout(open, REOPEN_AFTER_MS);
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      source?.close();
      setConnected(false);
    };
  }, [enabled]);

  return { connected };
}
