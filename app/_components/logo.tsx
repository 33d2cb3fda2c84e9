// The Darkroom mark: a lens with a safelight glint.
export function LogoMark({ className = "size-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="15" fill="var(--fg)" />
      <circle cx="16" cy="16" r="9.5" fill="var(--bg)" />
      <circle cx="16" cy="16" r="6" fill="var(--accent)" />
      <circle cx="13.6" cy="13.6" r="1.9" fill="var(--bg)" opacity="0.85" />
    </svg>
  );
}

export function Wordmark() {
  return (
    <span className="flex items-center gap-2.5">
      <LogoMark />
      <span className="font-display text-xl font-semibold tracking-tight">Darkroom</span>
    </span>
  );
}
