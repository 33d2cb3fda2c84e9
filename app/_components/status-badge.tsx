// The job status, as words and colour (never colour alone).
const STYLES: Record<string, { label: string; className: string; dot: string }> = {
  queued: { label: "Queued", className: "bg-raised text-muted", dot: "bg-muted" },
  processing: { label: "Processing", className: "bg-warn-soft text-warn", dot: "bg-warn animate-pulse" },
  completed: { label: "Completed", className: "bg-ok-soft text-ok", dot: "bg-ok" },
  failed: { label: "Failed", className: "bg-danger-soft text-danger", dot: "bg-danger" },
};

export function StatusBadge({ status }: { status: string }) {
  const s = STYLES[status] ?? STYLES.queued!;
  return (
    <span data-testid="status-badge" className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ${s.className}`}>
      <span aria-hidden="true" className={`size-1.5 rounded-full ${s.dot}`} />
      {s.label}
    </span>
  );
}
