"use client";
// A button that runs one API call: shows progress, cannot be pressed twice,
// and puts the failure, in words, right under itself (or beside it, compact).
import { useId, useRef, useState } from "react";
import { Spinner } from "./spinner";

export function ActionButton({
  className,
  icon,
  children,
  action,
  fallbackError,
  label,
  compact = false,
}: {
  className: string;
  icon?: React.ReactNode;
  children: React.ReactNode;
  action: () => Promise<void>;
  fallbackError: string;
  /** Accessible name, when the visible text alone is ambiguous (e.g. one Retry per job in a list). */
  label?: string;
  /** Small button in a row of text: error beside it, in small type. */
  compact?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The state update lands after the next render; a fast second click must not run the action again.
  const running = useRef(false);
  const errorId = useId();
  return (
    <div className={compact ? "flex flex-wrap items-center gap-3" : "flex flex-col gap-1.5"}>
      <button
        type="button"
        className={className}
        disabled={busy}
        aria-label={label}
        aria-describedby={error ? errorId : undefined}
        onClick={async () => {
          if (running.current) return;
          running.current = true;
          setBusy(true);
          setError(null);
          try {
            await action();
          } catch (e) {
            setError(e instanceof Error ? e.message : fallbackError);
          } finally {
            running.current = false;
            setBusy(false);
          }
        }}
      >
        {busy ? <Spinner className={compact ? "size-3.5" : undefined} /> : icon}
        {children}
      </button>
      {error ? (
        <p id={errorId} role="alert" className={compact ? "text-xs text-danger" : "max-w-xs text-sm text-danger"}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
