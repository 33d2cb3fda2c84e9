// Shared class names, so every button, field and card looks the same.
// Plain strings (no runtime) usable from server and client components alike.

const buttonBase =
  "inline-flex items-center justify-center gap-2 rounded-lg font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60 select-none whitespace-nowrap";

export const button = {
  primary: `${buttonBase} bg-accent px-4 py-2.5 text-sm text-accent-fg hover:bg-accent-hover`,
  secondary: `${buttonBase} border border-line-strong/60 bg-surface px-4 py-2.5 text-sm text-fg hover:bg-raised`,
  danger: `${buttonBase} border border-danger/50 bg-surface px-4 py-2.5 text-sm text-danger hover:bg-danger-soft`,
  dangerSolid: `${buttonBase} bg-danger px-4 py-2.5 text-sm text-accent-fg hover:opacity-90`,
  ghost: `${buttonBase} px-3 py-2 text-sm text-muted hover:bg-raised hover:text-fg`,
  small: `${buttonBase} border border-line-strong/60 bg-surface px-3 py-1.5 text-xs text-fg hover:bg-raised`,
};

export const field = {
  label: "block text-sm font-medium text-fg",
  hint: "text-xs text-muted",
  error: "text-sm text-danger",
  input:
    "mt-1.5 block w-full rounded-lg border border-line-strong/70 bg-surface px-3 py-2.5 text-base text-fg shadow-xs placeholder:text-muted/80 aria-invalid:border-danger sm:text-sm",
  select: "mt-1.5 block w-full appearance-none rounded-lg border border-line-strong/70 bg-surface py-2.5 pr-9 pl-3 text-base text-fg shadow-xs sm:text-sm",
};

export const card = "rounded-2xl border border-line bg-surface shadow-print";

export const link = "font-medium text-accent underline-offset-4 hover:underline";
