"use client";
// A labelled native <select> over a fixed list of choices, with its error
// (from the server) under it. The chosen value is looked up in `options`, so
// the caller gets back one of its own typed values, never an arbitrary string.
import { field } from "../ui";

export function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  optionLabel,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: (option: T) => string;
  onChange: (value: T) => void;
  error: string | null;
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
          onChange={(e) => {
            const chosen = options.find((o) => o === e.target.value);
            if (chosen !== undefined) onChange(chosen);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={field.select}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
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
