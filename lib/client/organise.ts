// The browser's calls for organising: stars and collections (issue 13).
import type { PublicCollection, PublicCollectionImage } from "@/lib/collections/public";
import type { PublicFavourite } from "@/lib/favourites/public";
import { api } from "./api";

export type Collection = PublicCollection;
export type CollectionWithImages = PublicCollection & { images: PublicCollectionImage[] };

const path = (id: string) => `/api/collections/${encodeURIComponent(id)}`;

export const organiseApi = {
  star: (imageId: string, on: boolean) => api<PublicFavourite>(`/api/images/${encodeURIComponent(imageId)}/favourite`, { method: on ? "PUT" : "DELETE" }),
  createCollection: (input: { name: string; description?: string }) => api<Collection>("/api/collections", { json: input }),
  updateCollection: (id: string, input: { name?: string; description?: string; position?: number }) =>
    api<Collection>(path(id), { method: "PATCH", json: input }),
  deleteCollection: (id: string) => api<null>(path(id), { method: "DELETE" }),
  addImage: (id: string, imageId: string) => api<Collection>(`${path(id)}/images`, { json: { image_id: imageId } }),
  removeImage: (id: string, imageId: string) => api<null>(`${path(id)}/images/${encodeURIComponent(imageId)}`, { method: "DELETE" }),
  orderImages: (id: string, imageIds: string[]) => api<Collection>(`${path(id)}/images/order`, { method: "PUT", json: { image_ids: imageIds } }),
};

// Bulk actions on a selection of jobs (the gallery). The download is a form post, not a call: the browser saves the streamed zip itself.
export const bulkApi = {
  favourite: (jobIds: string[], favourite: boolean) => api<{ images: number }>("/api/bulk/favourite", { json: { job_ids: jobIds, favourite } }),
  collect: (jobIds: string[], collectionId: string) => api<{ added: number }>("/api/bulk/collect", { json: { job_ids: jobIds, collection_id: collectionId } }),
  delete: (jobIds: string[]) => api<{ job_ids: string[] }>("/api/bulk/delete", { json: { job_ids: jobIds } }),
};
