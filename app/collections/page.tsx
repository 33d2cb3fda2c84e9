import type { Metadata } from "next";
import Link from "next/link";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { CollectionForm } from "@/app/_components/organise-actions";
import { requirePageUser } from "@/app/_components/session";
import { card } from "@/app/_components/ui";
import { listCollections } from "@/lib/collections/service";

export const metadata: Metadata = { title: "Collections" };

export default async function CollectionsPage() {
  const user = await requirePageUser("/collections");
  const { collections } = await listCollections(user.id);
  return (
    <AppShell user={user} section="collections">
      <PageHeading title="Collections">Named sets of your own images. An image can be in several; deleting a collection keeps its images.</PageHeading>
      <div className={`${card} mb-8 p-4`}>
        <CollectionForm />
      </div>
      {collections.length === 0 ? (
        <p className="text-sm text-muted" data-testid="collections-empty">
          No collections yet. Create one above, then add images from an image's page.
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-5 lg:grid-cols-4" data-testid="collections-grid">
          {collections.map((c) => (
            <li key={c.collection_id} data-testid="collection-item">
              <Link href={`/collections/${c.collection_id}`} className="group block rounded-xl">
                <span className="block aspect-square overflow-hidden rounded-xl border border-line bg-raised shadow-print">
                  {c.cover_thumbnail_url ? (
                    // biome-ignore lint/performance/noImgElement: private, owner-checked image route; never the optimizer
                    <img src={c.cover_thumbnail_url} alt="" width={256} height={256} loading="lazy" className="aspect-square w-full object-cover" />
                  ) : null}
                </span>
                <span className="mt-2 block truncate text-sm font-medium text-fg group-hover:underline">{c.name}</span>
                <span className="block text-xs text-muted">
                  {c.image_count} {c.image_count === 1 ? "image" : "images"}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
