// The gallery's search box and filters: a plain GET form, so every search is a
// URL (shareable with yourself, kept by Back) and works without JavaScript.
import { styleLabel } from "@/app/_components/format";
import { button, field } from "@/app/_components/ui";
import { STYLES } from "@/lib/client/options";
import type { Collection } from "@/lib/client/organise";

export type GalleryFilters = { q?: string; style?: string; favourite?: string; collection?: string; from?: string; to?: string; sort?: string };

export function SearchForm({ filters, collections }: { filters: GalleryFilters; collections: Collection[] }) {
  return (
    <search className="mb-8">
      <form action="/gallery" method="get" className="grid grid-cols-2 items-end gap-3 sm:grid-cols-4 lg:grid-cols-8" data-testid="gallery-search">
        <div className="col-span-2 sm:col-span-4 lg:col-span-3">
          <label htmlFor="gallery-q" className={field.label}>
            Search your prompts
          </label>
          <input id="gallery-q" name="q" type="search" maxLength={200} defaultValue={filters.q} className={field.input} placeholder="lighthouse at dusk" />
        </div>
        <div>
          <label htmlFor="gallery-style" className={field.label}>
            Style
          </label>
          <select id="gallery-style" name="style" defaultValue={filters.style ?? ""} className={field.select}>
            <option value="">All styles</option>
            {STYLES.map((s) => (
              <option key={s} value={s}>
                {styleLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="gallery-collection" className={field.label}>
            Collection
          </label>
          <select id="gallery-collection" name="collection" defaultValue={filters.collection ?? ""} className={field.select}>
            <option value="">Any</option>
            {collections.map((c) => (
              <option key={c.collection_id} value={c.collection_id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="gallery-from" className={field.label}>
            From
          </label>
          <input id="gallery-from" name="from" type="date" defaultValue={filters.from} className={field.input} />
        </div>
        <div>
          <label htmlFor="gallery-to" className={field.label}>
            To
          </label>
          <input id="gallery-to" name="to" type="date" defaultValue={filters.to} className={field.input} />
        </div>
        <div>
          <label htmlFor="gallery-sort" className={field.label}>
            Order
          </label>
          <select id="gallery-sort" name="sort" defaultValue={filters.sort ?? "newest"} className={field.select}>
            <option value="newest">Newest first</option>
            <option value="relevance">Best match</option>
          </select>
        </div>
        <div className="flex items-center gap-2 pb-2.5">
          <input id="gallery-favourite" name="favourite" type="checkbox" value="1" defaultChecked={filters.favourite === "1"} className="size-4" />
          <label htmlFor="gallery-favourite" className="text-sm">
            Starred only
          </label>
        </div>
        <button type="submit" className={button.primary}>
          Search
        </button>
      </form>
    </search>
  );
}
