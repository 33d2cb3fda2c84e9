"use client";
// The gallery grid with "select many": a checkbox on every image (click, or
// Space by keyboard; Shift extends from the last one chosen), "Select page" and
// "Clear", then star, unstar, add to a collection, download one zip (a plain
// link: the browser streams the file to disk) or delete. The server
// refuses a selection that names anything not the person's own, whole.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { button, field } from "@/app/_components/ui";
import { bulkApi, type Collection } from "@/lib/client/organise";

export type GalleryJob = { job_id: string; prompt: string; thumbnail_url: string | null; caption: string };

export function BulkGallery({ jobs, collections }: { jobs: GalleryJob[]; collections: Collection[] }) {
  const router = useRouter();
  const id = useId();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [collection, setCollection] = useState(collections[0]?.collection_id ?? "");
  const [status, setStatus] = useState<string | null>(null);
  const anchor = useRef<number | null>(null);
  const ids = [...selected];
  const count = selected.size;

  function toggle(index: number, shift: boolean, on: boolean) {
    const next = new Set(selected);
    const from = shift && anchor.current !== null ? Math.min(anchor.current, index) : index;
    const to = shift && anchor.current !== null ? Math.max(anchor.current, index) : index;
    for (let i = from; i <= to; i++) {
      if (on) next.add(jobs[i]!.job_id);
      else next.delete(jobs[i]!.job_id);
    }
    anchor.current = index;
    setSelected(next);
  }
  const done = (message: string) => {
    setStatus(message);
    router.refresh();
  };
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

  return (
    <>
      <section
        aria-label="Select images"
        className="sticky top-0 z-10 mb-5 rounded-xl border border-line bg-surface/95 px-4 py-3 text-sm shadow-print backdrop-blur"
        data-testid="bulk-bar"
      >
        <div className="flex flex-wrap items-center gap-3">
          <p className="font-medium" aria-live="polite" data-testid="bulk-count">
            {count === 0 ? "Select images to act on several at once" : `${plural(count, "image")} selected`}
          </p>
          <button type="button" className={button.small} onClick={() => setSelected(new Set(jobs.map((j) => j.job_id)))}>
            Select page
          </button>
          {count > 0 ? (
            <button type="button" className={button.small} onClick={() => setSelected(new Set())}>
              Clear
            </button>
          ) : null}
        </div>
        {count > 0 ? (
          <div className="mt-3 flex flex-wrap items-end gap-3">
            <ActionButton
              className={button.small}
              compact
              fallbackError="Could not star them."
              action={async () => done(`Starred ${plural((await bulkApi.favourite(ids, true)).images, "image")}.`)}
            >
              Star
            </ActionButton>
            <ActionButton
              className={button.small}
              compact
              fallbackError="Could not unstar them."
              action={async () => done(`Unstarred ${plural((await bulkApi.favourite(ids, false)).images, "image")}.`)}
            >
              Unstar
            </ActionButton>
            {collections.length > 0 ? (
              <div className="flex items-end gap-2">
                <div>
                  <label htmlFor={`${id}-c`} className={field.hint}>
                    Collection
                  </label>
                  <select id={`${id}-c`} className={`${field.select} mt-0.5 py-1.5`} value={collection} onChange={(e) => setCollection(e.target.value)}>
                    {collections.map((c) => (
                      <option key={c.collection_id} value={c.collection_id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </div>
                <ActionButton
                  className={button.small}
                  compact
                  fallbackError="Could not add them."
                  action={async () => {
                    const { added } = await bulkApi.collect(ids, collection);
                    done(`Added ${plural(added, "image")} to ${collections.find((c) => c.collection_id === collection)?.name ?? "the collection"}.`);
                  }}
                >
                  Add to collection
                </ActionButton>
              </div>
            ) : null}
            <a href={`/api/bulk/download?job_ids=${ids.map(encodeURIComponent).join(",")}`} download className={button.small} data-testid="bulk-download">
              Download zip
            </a>
            <ActionButton
              className={`${button.small} border-danger/50 text-danger`}
              compact
              fallbackError="Could not delete them."
              action={async () => {
                if (!window.confirm(`Delete ${plural(count, "image")} for good? Their files are removed too.`)) return;
                const { job_ids } = await bulkApi.delete(ids);
                setSelected(new Set());
                done(`Deleted ${plural(job_ids.length, "image")}.`);
              }}
            >
              Delete
            </ActionButton>
          </div>
        ) : null}
        <p role="status" className="mt-1 text-xs text-muted">
          {status}
        </p>
      </section>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-5 lg:grid-cols-4" data-testid="gallery-grid">
        {jobs.map((job, index) => {
          const on = selected.has(job.job_id);
          return (
            <li key={job.job_id} data-testid="gallery-item" data-job-id={job.job_id} data-selected={on} className="relative">
              <Link href={`/jobs/${job.job_id}`} className="group block rounded-xl">
                <span className={`block overflow-hidden rounded-xl border bg-raised shadow-print ${on ? "border-accent ring-2 ring-accent" : "border-line"}`}>
                  {/* biome-ignore lint/performance/noImgElement: private, owner-checked image routes; never the optimizer */}
                  <img
                    src={job.thumbnail_url ?? ""}
                    alt={job.prompt}
                    width={256}
                    height={256}
                    loading="lazy"
                    decoding="async"
                    className="aspect-square w-full object-cover transition duration-300 group-hover:scale-[1.03]"
                  />
                </span>
                <span className="mt-2 block truncate text-sm font-medium text-fg group-hover:underline" aria-hidden="true">
                  {job.prompt}
                </span>
                <span className="block text-xs text-muted" aria-hidden="true">
                  {job.caption}
                </span>
              </Link>
              <label className="absolute top-2 left-2 grid size-8 cursor-pointer place-items-center rounded-lg border border-line-strong/60 bg-surface/90 shadow-print">
                <input
                  type="checkbox"
                  className="size-4 accent-accent"
                  checked={on}
                  aria-label={`Select image ${index + 1}: ${job.prompt.slice(0, 60)}`}
                  onClick={(e) => toggle(index, e.shiftKey, e.currentTarget.checked)}
                  onChange={() => {}}
                  data-testid="select-image"
                />
              </label>
            </li>
          );
        })}
      </ul>
    </>
  );
}
