"use client";
// What a person can do on a job's page: retry a failed job, vary a finished one, delete (after a
// confirmation dialog), and, while it is pending, watch it without reloading.
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { jobsApi } from "@/lib/client/api";
import { ActionButton } from "./action-button";
import { Spinner } from "./spinner";
import { button } from "./ui";

export function RetryJobButton({ jobId }: { jobId: string }) {
  const router = useRouter();
  return (
    <ActionButton
      className={button.primary}
      icon={<RetryIcon />}
      fallbackError="Retry failed. Try again."
      action={async () => {
        await jobsApi.retry(jobId);
        router.refresh();
      }}
    >
      Retry
    </ActionButton>
  );
}

// A new job with the same settings and a new seed; its page opens when it is queued.
export function VaryJobButton({ jobId }: { jobId: string }) {
  const router = useRouter();
  return (
    <ActionButton
      className={button.secondary}
      icon={<RetryIcon />}
      fallbackError="Vary failed. Try again."
      action={async () => {
        const job = await jobsApi.vary(jobId);
        router.push(`/jobs/${job.job_id}`);
      }}
    >
      Vary
    </ActionButton>
  );
}

export function DeleteJobButton({ jobId }: { jobId: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const bodyId = useId();

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await jobsApi.remove(jobId);
      dialog.current?.close();
      router.replace("/gallery");
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Delete failed. Try again.");
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={button.danger}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        <TrashIcon />
        Delete
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-2xl border border-line bg-surface p-6 text-fg shadow-print"
      >
        <h2 id={titleId} className="font-display text-xl font-semibold">
          Delete this image?
        </h2>
        <p id={bodyId} className="mt-2 text-sm text-muted">
          The image, its thumbnail and its prompt are removed for good. This can't be undone.
        </p>
        {error ? (
          <p role="alert" className="mt-3 text-sm text-danger">
            {error}
          </p>
        ) : null}
        <div className="mt-6 flex flex-wrap justify-end gap-3">
          <button type="button" className={button.secondary} onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className={button.dangerSolid} onClick={confirm} disabled={busy}>
            {busy ? <Spinner /> : null}
            Delete image
          </button>
        </div>
      </dialog>
    </>
  );
}

// While the job is queued or processing, re-render the page from the server
// with backoff until it settles; paused while the tab is hidden.
// Rendered with `key={status}`: a new status remounts it and the backoff starts over.
export function PendingRefresher() {
  const router = useRouter();
  useEffect(() => {
    let delay = 700;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      if (document.visibilityState === "hidden") return;
      timer = setTimeout(() => {
        router.refresh();
        delay = Math.min(Math.round(delay * 1.5), 8000);
        schedule();
      }, delay);
    };
    const onVisibility = () => {
      delay = 700;
      schedule();
    };
    schedule();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [router]);
  return null;
}

function RetryIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
      <path d="M3.5 10a6.5 6.5 0 1 0 2-4.7M3.5 3.5v3.5H7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function TrashIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
      <path d="M4 6h12M8 6V4h4v2m-6 0 .7 10h6.6L14 6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
