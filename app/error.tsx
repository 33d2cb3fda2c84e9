"use client";
// Shown when a page fails unexpectedly. No details: those are in the server log.
import { useEffect } from "react";
import { button } from "@/app/_components/ui";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center px-4 text-center">
      <h1 className="font-display text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="mt-2 text-sm text-muted">
        The page could not be shown. Try again in a moment.
        {error.digest ? <span className="mt-1 block text-xs">Reference: {error.digest}</span> : null}
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <button type="button" className={button.primary} onClick={() => reset()}>
          Try again
        </button>
        <a href="/" className={button.secondary}>
          Go to the studio
        </a>
      </div>
    </main>
  );
}
