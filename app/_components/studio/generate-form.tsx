"use client";
// The studio's form: prompt, style, quality and the generation settings
// (settings-fields.tsx), sent to POST /api/generate-image.
// The server's validation message appears next to the field it names; a
// resend of the same request reuses its idempotency key; a request cut short
// by an expired session keeps its draft for after signing in.
import { useId, useRef, useState } from "react";
import { ApiError, type Job, jobsApi, type NewJob } from "@/lib/client/api";
import type { Quality, Style } from "@/lib/client/options";
import type { Settings } from "@/lib/client/settings";
import type { PublicModel } from "@/lib/models/public";
import { qualityShortLabel, styleLabel } from "../format";
import { Spinner } from "../spinner";
import { button, field } from "../ui";
import { SelectField } from "./select-field";
import { SettingsFields, type SettingsValue } from "./settings-fields";
import { useDraft } from "./use-draft";

type Props = {
  styles: readonly Style[];
  qualities: readonly Quality[];
  maxPromptLength: number;
  models: PublicModel[];
  // "Use these settings": a job's settings carried in the address bar.
  initial: Settings;
  onCreated: (job: Job) => void;
};

type FieldError = { field: string | null; text: string };
const FORM_FIELDS = ["prompt", "style", "quality", "model", "aspect_ratio", "n", "seed", "negative_prompt"];

function newKey(): string {
  // randomUUID needs a secure context; getRandomValues works everywhere.
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function GenerateForm({ styles, qualities, maxPromptLength, models, initial, onCreated }: Props) {
  const [prompt, setPrompt] = useState(initial.prompt ?? "");
  const [style, setStyle] = useState<Style>(initial.style ?? styles[0] ?? "realistic");
  const [quality, setQuality] = useState<Quality>(initial.quality ?? qualities[0] ?? "standard");
  const defaultModel = models.find((m) => m.default)?.id ?? models[0]?.id ?? "";
  const [settings, setSettings] = useState<SettingsValue>({
    model: models.some((m) => m.id === initial.model) ? initial.model! : defaultModel,
    aspectRatio: initial.aspect_ratio ?? "1:1",
    n: initial.n ?? 1,
    seed: initial.seed === undefined ? "" : String(initial.seed),
    negativePrompt: initial.negative_prompt ?? "",
  });
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<FieldError | null>(null);
  const [sent, setSent] = useState("");
  const busy = useRef(false);
  // One key per distinct request: a resend after a lost response is deduplicated
  // by the server instead of creating a second job.
  const keyFor = useRef<{ signature: string; key: string } | null>(null);
  const id = useId();
  const ids = { prompt: `${id}-prompt`, count: `${id}-count`, style: `${id}-style`, quality: `${id}-quality`, error: `${id}-error` };
  const settingIds = { model: `${id}-model`, ratio: `${id}-ratio`, n: `${id}-n`, seed: `${id}-seed`, negative: `${id}-negative` };
  const changeSettings = (next: Partial<SettingsValue>) => {
    setSettings((current) => {
      const merged = { ...current, ...next };
      // A new model keeps only what it can do: the shape falls back to square, the count to its maximum.
      const can = models.find((m) => m.id === merged.model)?.capabilities;
      if (can && !can.aspect_ratios.includes(merged.aspectRatio)) merged.aspectRatio = "1:1";
      if (can && merged.n > can.max_n) merged.n = can.max_n;
      return merged;
    });
    setError(null);
  };

  const saveDraft = useDraft((draft) => {
    setPrompt(draft.prompt);
    if (draft.style && styles.includes(draft.style)) setStyle(draft.style);
    if (draft.quality && qualities.includes(draft.quality)) setQuality(draft.quality);
  });

  const submit = async () => {
    if (busy.current) return;
    busy.current = true;
    setSubmitting(true);
    setError(null);
    setSent("");
    const can = models.find((m) => m.id === settings.model)?.capabilities;
    const input: NewJob = {
      prompt,
      style,
      quality,
      ...(settings.model ? { model: settings.model } : {}),
      aspect_ratio: settings.aspectRatio,
      n: settings.n,
      ...(settings.seed !== "" && can?.seed !== false ? { seed: Number(settings.seed) } : {}),
      ...(settings.negativePrompt.trim() && can?.negative_prompt !== false ? { negative_prompt: settings.negativePrompt } : {}),
    };
    const signature = JSON.stringify(input);
    if (keyFor.current?.signature !== signature) keyFor.current = { signature, key: newKey() };
    try {
      const job = await jobsApi.create(input, keyFor.current.key);
      keyFor.current = null;
      setPrompt("");
      setSent("Sent to the darkroom. Watch it develop in Recent jobs.");
      onCreated(job);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, "Something went wrong. Try again.");
      if (err.redirecting) saveDraft(input);
      setError({ field: err.field, text: err.message });
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  };

  const errorFor = (name: string) => (error && error.field === name ? error.text : null);
  const generalError = error && !FORM_FIELDS.includes(error.field ?? "") ? error.text : null;
  const promptError = errorFor("prompt");
  const length = prompt.length;
  const nearLimit = length > maxPromptLength * 0.9;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      className="space-y-5"
      aria-busy={submitting}
    >
      <div>
        <div className="flex items-baseline justify-between gap-3">
          <label htmlFor={ids.prompt} className={field.label}>
            Prompt
          </label>
          <span id={ids.count} className={`text-xs tabular-nums ${nearLimit ? "font-medium text-warn" : "text-muted"}`} data-testid="prompt-count">
            {length} / {maxPromptLength}
            <span className="sr-only"> characters</span>
          </span>
        </div>
        <textarea
          id={ids.prompt}
          name="prompt"
          rows={6}
          required
          maxLength={maxPromptLength}
          value={prompt}
          onChange={(e) => {
            setPrompt(e.target.value);
            if (error?.field === "prompt") setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              void submit();
            }
          }}
          placeholder="A lighthouse at dusk, long exposure, fog rolling over the rocks"
          aria-invalid={promptError ? true : undefined}
          aria-describedby={[ids.count, promptError ? `${ids.error}-prompt` : null].filter(Boolean).join(" ")}
          className={`${field.input} min-h-36 resize-y leading-relaxed`}
        />
        {promptError ? (
          <p id={`${ids.error}-prompt`} role="alert" className={`${field.error} mt-1.5`}>
            {promptError}
          </p>
        ) : (
          <p className={`${field.hint} mt-1.5`}>Press Ctrl + Enter to generate.</p>
        )}
      </div>

      <div className="grid grid-cols-2 gap-3">
        <SelectField id={ids.style} label="Style" value={style} options={styles} optionLabel={styleLabel} onChange={setStyle} error={errorFor("style")} />
        <SelectField
          id={ids.quality}
          label="Quality"
          value={quality}
          options={qualities}
          optionLabel={qualityShortLabel}
          onChange={setQuality}
          error={errorFor("quality")}
        />
      </div>

      <div>
        <button type="submit" className={`${button.primary} w-full py-3`} disabled={submitting} aria-disabled={submitting}>
          {submitting ? <Spinner /> : null}
          {submitting ? "Sending…" : "Generate"}
        </button>
        <div className="mt-2 text-sm empty:hidden" aria-live="polite">
          {generalError ? (
            <p role="alert" className="text-danger">
              {generalError}
            </p>
          ) : sent ? (
            <p className="text-muted">{sent}</p>
          ) : null}
        </div>
      </div>
      {/* After the button, in the page and in the tab order alike: prompt, style, quality, Generate
          stay the short path, and these settings (kept between images) follow. */}
      <section aria-labelledby={`${id}-settings`} className="border-t border-line pt-4">
        <h3 id={`${id}-settings`} className="mb-3 text-sm font-semibold">
          Settings
        </h3>
        <SettingsFields ids={settingIds} models={models} value={settings} onChange={changeSettings} errorFor={errorFor} />
      </section>
    </form>
  );
}
