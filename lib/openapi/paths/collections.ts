// Collections and the images in them.
import { z } from "zod";
import { addCollectionImageInput, createCollectionInput, orderCollectionImagesInput, updateCollectionInput } from "@/lib/collections/input";
import { collectionWithImages, publicCollection } from "../schemas";
import type { PathSpec } from "../spec";

const collectionParam = { id: { resource: "collection", description: "a collection id" } };

export const collectionPaths: PathSpec[] = [
  {
    path: "/api/collections",
    tag: "Collections",
    operations: {
      get: {
        summary: "List your collections",
        access: "read",
        success: [{ status: 200, description: "Your collections", data: z.object({ collections: z.array(publicCollection) }) }],
      },
      post: {
        summary: "Create a collection",
        access: "generate",
        body: createCollectionInput,
        example: { name: "Harbours", description: "Boats at dawn" },
        success: [{ status: 201, description: "The new collection", data: publicCollection }],
        effect: "creates",
      },
    },
  },
  {
    path: "/api/collections/{id}",
    tag: "Collections",
    params: collectionParam,
    resource: "collection",
    operations: {
      get: {
        summary: "Read a collection with its images in order",
        access: "read",
        success: [{ status: 200, description: "The collection", data: collectionWithImages }],
      },
      patch: {
        summary: "Rename, describe or move a collection",
        access: "generate",
        body: updateCollectionInput,
        example: { name: "Renamed" },
        success: [{ status: 200, description: "The collection", data: publicCollection }],
      },
      delete: { summary: "Delete a collection (its images stay)", access: "generate", success: [{ status: 200, description: "Deleted", data: null }] },
    },
  },
  {
    path: "/api/collections/{id}/images",
    tag: "Collections",
    params: collectionParam,
    resource: "collection",
    operations: {
      post: {
        summary: "Add one of your images",
        description: "Anyone else's image is answered like a missing one.",
        access: "generate",
        body: addCollectionImageInput,
        example: { image_id: "{image}" },
        errors: [409],
        success: [
          { status: 201, description: "Added", data: publicCollection },
          { status: 200, description: "Already in the collection", data: publicCollection },
        ],
      },
    },
  },
  {
    path: "/api/collections/{id}/images/order",
    tag: "Collections",
    params: collectionParam,
    resource: "collection",
    operations: {
      put: {
        summary: "Reorder a collection's images",
        description: "`image_ids` lists every image of the collection once, in the new order.",
        access: "generate",
        body: orderCollectionImagesInput,
        example: { image_ids: [] },
        success: [{ status: 200, description: "The collection", data: publicCollection }],
      },
    },
  },
  {
    path: "/api/collections/{id}/images/{image_id}",
    tag: "Collections",
    params: { id: { resource: "collection_entry", description: "a collection id" }, image_id: { resource: "collection_entry", description: "an image in it" } },
    resource: "collection_entry",
    operations: {
      delete: {
        summary: "Take an image out of a collection (the image stays)",
        access: "generate",
        success: [{ status: 200, description: "Removed", data: null }],
      },
    },
  },
];
