// How far a job being rendered is: an accessible progress bar (role, min, max,
// value and a readable "step 2 of 4"). Without progress reported yet it is
// indeterminate (no aria-valuenow), as the ARIA pattern says.
import type { Job } from "@/lib/client/api";

export function JobProgressBar({ progress, label, className = "" }: { progress: Job["progress"]; label: string; className?: string }) {
  const percent = progress ? Math.round(progress.fraction * 100) : null;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={progress ? `${percent}%, step ${progress.step} of ${progress.steps}` : "Waiting to start"}
      data-testid="job-progress"
      data-value={percent ?? ""}
      className={`h-1.5 w-full overflow-hidden rounded-full bg-raised ${className}`}
    >
      <div
        className="h-full rounded-full bg-accent transition-[width] duration-300 ease-out motion-reduce:transition-none"
        style={{ width: `${percent ?? 0}%` }}
      />
    </div>
  );
}
