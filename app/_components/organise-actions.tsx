"use client";
// Organising from any page: star an image, add it to a collection, and the
// forms of the collections pages (create, rename, delete, take an image out).
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { type Collection, organiseApi } from "@/lib/client/organise";
import { ActionButton } from "./action-button";
import { button, field } from "./ui";

export function FavouriteButton({ imageId, favourite, label }: { imageId: string; favourite: boolean; label: string }) {
  const router = useRouter();
  const [on, setOn] = useState(favourite);
  return (
    <div className="inline-flex" data-testid="favourite" data-favourite={on}>
      <ActionButton
        className={button.small}
        compact
        label={on ? `Unstar ${label}` : `Star ${label}`}
        fallbackError="Could not change the star. Try again."
        action={async () => {
          await organiseApi.star(imageId, !on);
          setOn(!on);
          router.refresh();
        }}
      >
        <span aria-hidden="true">{on ? "★" : "☆"}</span>
        <span aria-hidden="true">{on ? "Starred" : "Star"}</span>
      </ActionButton>
    </div>
  );
}

export function AddToCollection({ images, collections }: { images: { image_id: string; index: number }[]; collections: Collection[] }) {
  const id = useId();
  const [collection, setCollection] = useState(collections[0]?.collection_id ?? "");
  const [image, setImage] = useState(images[0]?.image_id ?? "");
  const [done, setDone] = useState<string | null>(null);
  if (collections.length === 0) return null;
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="add-to-collection">
      <div>
        <label htmlFor={`${id}-c`} className={field.label}>
          Collection
        </label>
        <select id={`${id}-c`} className={field.select} value={collection} onChange={(e) => setCollection(e.target.value)}>
          {collections.map((c) => (
            <option key={c.collection_id} value={c.collection_id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {images.length > 1 ? (
        <div>
          <label htmlFor={`${id}-i`} className={field.label}>
            Image
          </label>
          <select id={`${id}-i`} className={field.select} value={image} onChange={(e) => setImage(e.target.value)}>
            {images.map((i) => (
              <option key={i.image_id} value={i.image_id}>
                Image {i.index + 1}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ActionButton
        className={button.secondary}
        compact
        fallbackError="Could not add the image. Try again."
        action={async () => {
          await organiseApi.addImage(collection, image);
          setDone(`Added to ${collections.find((c) => c.collection_id === collection)?.name ?? "the collection"}.`);
        }}
      >
        Add to collection
      </ActionButton>
      <p role="status" className="w-full text-sm text-muted">
        {done}
      </p>
    </div>
  );
}

// Create (no `collection`) or rename and describe (with one).
export function CollectionForm({ collection }: { collection?: Collection }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState(collection?.name ?? "");
  const [description, setDescription] = useState(collection?.description ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      data-testid={collection ? "rename-collection" : "create-collection"}
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        setError(null);
        try {
          if (collection) await organiseApi.updateCollection(collection.collection_id, { name, description });
          else {
            await organiseApi.createCollection({ name, description });
            setName("");
            setDescription("");
          }
          router.refresh();
        } catch (err) {
          setError(err instanceof Error ? err.message : "Could not save the collection.");
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="min-w-48 flex-1">
        <label htmlFor={`${id}-n`} className={field.label}>
          {collection ? "Name" : "New collection"}
        </label>
        <input id={`${id}-n`} className={field.input} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="min-w-48 flex-[2]">
        <label htmlFor={`${id}-d`} className={field.label}>
          Description
        </label>
        <input id={`${id}-d`} className={field.input} value={description} maxLength={1000} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <button type="submit" className={button.primary} disabled={busy}>
        {collection ? "Save" : "Create"}
      </button>
      {error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function DeleteCollectionButton({ collectionId }: { collectionId: string }) {
  const router = useRouter();
  return (
    <ActionButton
      className={button.danger}
      fallbackError="Could not delete the collection. Try again."
      action={async () => {
        if (!window.confirm("Delete this collection? Its images stay in your gallery.")) return;
        await organiseApi.deleteCollection(collectionId);
        router.push("/collections");
        router.refresh();
      }}
    >
      Delete collection
    </ActionButton>
  );
}

export function RemoveFromCollectionButton({ collectionId, imageId, label }: { collectionId: string; imageId: string; label: string }) {
  const router = useRouter();
  return (
    <ActionButton
      className={button.small}
      compact
      label={`Remove ${label} from this collection`}
      fallbackError="Could not remove the image. Try again."
      action={async () => {
        await organiseApi.removeImage(collectionId, imageId);
        router.refresh();
      }}
    >
      Remove
    </ActionButton>
  );
}

// Moves one image a place earlier or later; the whole order is sent, so two tabs cannot interleave half-orders.
export function MoveInCollection({ collectionId, order, index, label }: { collectionId: string; order: string[]; index: number; label: string }) {
  const router = useRouter();
  const move = (to: number) => async () => {
    const next = [...order];
    const [item] = next.splice(index, 1);
    next.splice(to, 0, item!);
    await organiseApi.orderImages(collectionId, next);
    router.refresh();
  };
  return (
    <>
      {index > 0 ? (
        <ActionButton className={button.small} compact label={`Move ${label} earlier`} fallbackError="Could not move the image." action={move(index - 1)}>
          <span aria-hidden="true">←</span>
        </ActionButton>
      ) : null}
      {index < order.length - 1 ? (
        <ActionButton className={button.small} compact label={`Move ${label} later`} fallbackError="Could not move the image." action={move(index + 1)}>
          <span aria-hidden="true">→</span>
        </ActionButton>
      ) : null}
    </>
  );
}
