import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { isNotFound } from "@/app/_components/errors";
import { CollectionForm, DeleteCollectionButton, FavouriteButton, MoveInCollection, RemoveFromCollectionButton } from "@/app/_components/organise-actions";
import { requirePageUser } from "@/app/_components/session";
import { ShareForm } from "@/app/_components/share-actions";
import { card } from "@/app/_components/ui";
import { getCollection } from "@/lib/collections/service";

export const metadata: Metadata = { title: "Collection" };

async function load(userId: string, id: string) {
  try {
    return await getCollection(userId, id);
  } catch (error) {
    // Someone else's collection, a missing one and a malformed id look exactly alike.
    if (isNotFound(error)) notFound();
    throw error;
  }
}

export default async function CollectionPage({ params }: PageProps<"/collections/[id]">) {
  const { id } = await params;
  const user = await requirePageUser(`/collections/${encodeURIComponent(id)}`);
  const collection = await load(user.id, id);
  const order = collection.images.map((i) => i.image_id);
  return (
    <AppShell user={user} section="collections">
      <nav aria-label="Breadcrumb" className="mb-6 text-sm text-muted">
        <ol className="flex flex-wrap items-center gap-2">
          <li>
            <Link href="/collections" className="hover:text-fg hover:underline">
              Collections
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="text-fg">
            {collection.name}
          </li>
        </ol>
      </nav>
      <PageHeading title={collection.name} actions={<DeleteCollectionButton collectionId={collection.collection_id} />}>
        {collection.description || "No description."}
      </PageHeading>
      <div className={`${card} mb-8 p-4`}>
        <CollectionForm collection={collection} />
      </div>
      <section aria-labelledby="share-heading" className={`${card} mb-8 p-4`}>
        <h2 id="share-heading" className="mb-2 font-medium">
          Share this collection
        </h2>
        <ShareForm collectionId={collection.collection_id} />
      </section>
      {collection.images.length === 0 ? (
        <p className="text-sm text-muted" data-testid="collection-empty">
          No images yet. Add one from an image's page.
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-5 lg:grid-cols-4" data-testid="collection-images">
          {collection.images.map((image, n) => (
            <li key={image.image_id} data-testid="collection-image" data-image-id={image.image_id}>
              <Link href={`/jobs/${image.job_id}`} className="block rounded-xl">
                {/* biome-ignore lint/performance/noImgElement: private, owner-checked image route; never the optimizer */}
                <img
                  src={image.thumbnail_url}
                  alt={`${collection.name}, item ${n + 1}`}
                  width={256}
                  height={256}
                  loading="lazy"
                  className="aspect-square w-full rounded-xl border border-line object-cover"
                />
              </Link>
              <div className="mt-2 flex flex-wrap items-center gap-2">
                <FavouriteButton imageId={image.image_id} favourite={image.favourite} label={`image ${n + 1}`} />
                <MoveInCollection collectionId={collection.collection_id} order={order} index={n} label={`image ${n + 1}`} />
                <RemoveFromCollectionButton collectionId={collection.collection_id} imageId={image.image_id} label={`image ${n + 1}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
