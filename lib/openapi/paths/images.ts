// Image files and favourites.
import { publicFavourite } from "../schemas";
import type { PathSpec } from "../spec";

const imageParam = { id: { resource: "image", description: "an image id, or a job id meaning that job's first image" } };
const fileHeaders = { "Cache-Control": "`private, no-store`" };

export const imagePaths: PathSpec[] = [
  {
    path: "/api/images/{id}",
    tag: "Images",
    params: imageParam,
    resource: "image",
    operations: {
      get: {
        summary: "Download an image",
        description: "Stored files carry no metadata; `parameters=1` adds the prompt and settings in a PNG `parameters` text chunk.",
        access: "read",
        flags: { download: "`1`: answer as an attachment", parameters: "`1`: embed the prompt and settings (AUTOMATIC1111's format)" },
        success: [{ status: 200, description: "The image", file: ["image/png", "image/jpeg", "image/webp"], headers: fileHeaders }],
      },
    },
  },
  {
    path: "/api/images/{id}/thumbnail",
    tag: "Images",
    params: imageParam,
    resource: "image",
    operations: {
      get: {
        summary: "Download an image's thumbnail",
        access: "read",
        flags: { download: "`1`: answer as an attachment" },
        success: [{ status: 200, description: "A WebP thumbnail", file: ["image/webp"], headers: fileHeaders }],
      },
    },
  },
  {
    path: "/api/images/{id}/favourite",
    tag: "Images",
    params: imageParam,
    resource: "image",
    operations: {
      put: { summary: "Star an image (idempotent)", access: "generate", success: [{ status: 200, description: "The image's state", data: publicFavourite }] },
      delete: {
        summary: "Unstar an image (idempotent)",
        access: "generate",
        success: [{ status: 200, description: "The image's state", data: publicFavourite }],
      },
    },
  },
];
