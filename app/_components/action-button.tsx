"use client";
// A button that runs one API call: shows progress, cannot be pressed twice,
// and puts the failure, in words, right under itself.
import { useId, useState } from "react";
import { Spinner } from "./spinner";

export function ActionButton({
  className,
  icon,
  children,
  action,
  fallbackError,
}: {
  className: string;
  icon?: React.ReactNode;
  children: React.ReactNode;
  action: () => Promise<void>;
  fallbackError: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <button
        type="button"
        className={className}
        disabled={busy}
        aria-describedby={error ? errorId : undefined}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await action();
          } catch (e) {
            setError(e instanceof Error ? e.message : fallbackError);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? <Spinner /> : icon}
        {children}
      </button>
      {error ? (
        <p id={errorId} role="alert" className="max-w-xs text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
