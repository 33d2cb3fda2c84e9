"use client";
// The studio's generation settings beside prompt, style and quality: the model
// (with what it can do), the aspect ratio as shapes, how many images, and an
// "Advanced" part with the seed and what to leave out (the negative prompt).
// Settings the chosen model cannot honour are disabled here and refused by the
// server anyway. Labels avoid the words "prompt", "style" and "quality", which
// name the main fields.
import type { AspectRatio } from "@/lib/client/settings";
import type { PublicModel } from "@/lib/models/public";
import { field } from "../ui";

export type SettingsValue = { model: string; aspectRatio: AspectRatio; n: number; seed: string; negativePrompt: string };

type Props = {
  ids: Record<"model" | "ratio" | "n" | "seed" | "negative", string>;
  models: PublicModel[];
  value: SettingsValue;
  onChange: (next: Partial<SettingsValue>) => void;
  errorFor: (name: string) => string | null;
};

const RATIOS: AspectRatio[] = ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"];

function Shape({ ratio }: { ratio: string }) {
  const [w, h] = ratio.split(":").map(Number) as [number, number];
  const scale = 22 / Math.max(w, h);
  return <span aria-hidden="true" className="block rounded-[3px] border-2 border-current" style={{ width: `${w * scale}px`, height: `${h * scale}px` }} />;
}

function ErrorText({ id, text }: { id: string; text: string | null }) {
  return text ? (
    <p id={`${id}-error`} role="alert" className={`${field.error} mt-1.5`}>
      {text}
    </p>
  ) : null;
}

export function SettingsFields({ ids, models, value, onChange, errorFor }: Props) {
  const model = models.find((m) => m.id === value.model) ?? models[0];
  const can = model?.capabilities ?? { aspect_ratios: ["1:1"], max_n: 1, seed: false, negative_prompt: false };
  const described = (id: string, extra: string | null, name: string) => [extra, errorFor(name) ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-5">
      <div>
        <label htmlFor={ids.model} className={field.label}>
          Model
        </label>
        <select
          id={ids.model}
          name="model"
          value={model?.id ?? ""}
          onChange={(e) => onChange({ model: e.target.value })}
          aria-describedby={described(ids.model, `${ids.model}-can`, "model")}
          aria-invalid={errorFor("model") ? true : undefined}
          className={field.select}
        >
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
        <p id={`${ids.model}-can`} className={`${field.hint} mt-1.5`} data-testid="model-capabilities">
          Shapes {can.aspect_ratios.join(", ")} · up to {can.max_n} images · {can.seed ? "seeds" : "no seeds"} ·{" "}
          {can.negative_prompt ? "can leave things out" : "cannot leave things out"}
        </p>
        <ErrorText id={ids.model} text={errorFor("model")} />
      </div>

      <fieldset aria-describedby={errorFor("aspect_ratio") ? `${ids.ratio}-error` : undefined}>
        <legend className={field.label}>Aspect ratio</legend>
        <div className="mt-1.5 grid grid-cols-4 gap-2 sm:grid-cols-7">
          {RATIOS.map((ratio) => {
            const allowed = can.aspect_ratios.includes(ratio);
            return (
              <label
                key={ratio}
                className={`relative flex cursor-pointer flex-col items-center gap-1.5 rounded-lg border px-1 py-2 text-xs has-checked:border-accent has-checked:bg-raised has-focus-visible:outline-2 has-focus-visible:outline-accent has-disabled:cursor-not-allowed has-disabled:opacity-50 ${
                  value.aspectRatio === ratio ? "border-accent text-fg" : "border-line-strong/60 text-muted"
                }`}
              >
                <input
                  type="radio"
                  name="aspect_ratio"
                  value={ratio}
                  checked={value.aspectRatio === ratio}
                  disabled={!allowed}
                  onChange={() => onChange({ aspectRatio: ratio })}
                  // Invisible but covering its label: clicks, taps and the keyboard all reach the native radio.
                  className="absolute inset-0 size-full cursor-pointer appearance-none opacity-0 disabled:cursor-not-allowed"
                />
                <span className="grid h-6 place-items-center">
                  <Shape ratio={ratio} />
                </span>
                {ratio}
              </label>
            );
          })}
        </div>
        <ErrorText id={ids.ratio} text={errorFor("aspect_ratio")} />
      </fieldset>

      <div>
        <label htmlFor={ids.n} className={field.label}>
          Images
        </label>
        <select
          id={ids.n}
          name="n"
          value={String(value.n)}
          onChange={(e) => onChange({ n: Number(e.target.value) })}
          aria-describedby={described(ids.n, null, "n")}
          aria-invalid={errorFor("n") ? true : undefined}
          className={field.select}
        >
          {Array.from({ length: can.max_n }, (_, i) => i + 1).map((count) => (
            <option key={count} value={count}>
              {count}
            </option>
          ))}
        </select>
        <ErrorText id={ids.n} text={errorFor("n")} />
      </div>

      <details className="rounded-lg border border-line px-3 py-2" open={Boolean(value.seed || value.negativePrompt) || undefined}>
        <summary className="cursor-pointer text-sm font-medium">Advanced</summary>
        <div className="mt-3 space-y-4 pb-1">
          <div>
            <label htmlFor={ids.seed} className={field.label}>
              Seed
            </label>
            <input
              id={ids.seed}
              name="seed"
              inputMode="numeric"
              pattern="[0-9]*"
              value={value.seed}
              disabled={!can.seed}
              onChange={(e) => onChange({ seed: e.target.value.replace(/\D/g, "").slice(0, 10) })}
              placeholder={can.seed ? "Random" : "This model takes no seed"}
              aria-describedby={described(ids.seed, `${ids.seed}-hint`, "seed")}
              aria-invalid={errorFor("seed") ? true : undefined}
              className={field.input}
            />
            <p id={`${ids.seed}-hint`} className={`${field.hint} mt-1.5`}>
              The same seed and settings draw the same picture. Image 2 uses seed + 1, and so on.
            </p>
            <ErrorText id={ids.seed} text={errorFor("seed")} />
          </div>
          <div>
            <label htmlFor={ids.negative} className={field.label}>
              Leave out
            </label>
            <textarea
              id={ids.negative}
              name="negative_prompt"
              rows={2}
              maxLength={1000}
              value={value.negativePrompt}
              disabled={!can.negative_prompt}
              onChange={(e) => onChange({ negativePrompt: e.target.value })}
              placeholder={can.negative_prompt ? "blur, text, watermark" : "This model cannot leave things out"}
              aria-describedby={described(ids.negative, `${ids.negative}-hint`, "negative_prompt")}
              aria-invalid={errorFor("negative_prompt") ? true : undefined}
              className={field.input}
            />
            <p id={`${ids.negative}-hint`} className={`${field.hint} mt-1.5`}>
              Sent as the negative prompt: what the picture should not contain.
            </p>
            <ErrorText id={ids.negative} text={errorFor("negative_prompt")} />
          </div>
        </div>
      </details>
    </div>
  );
}
