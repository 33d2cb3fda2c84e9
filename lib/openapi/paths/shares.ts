// Share links: a read-only link to one image or collection for people without an account.
// The pages a link opens (/s/{token}, HTML and image files for people) are not part of the API.
import { z } from "zod";
import { createShareInput } from "@/lib/shares/input";
import { createdShare, publicShare } from "../schemas";
import type { PathSpec } from "../spec";

export const sharePaths: PathSpec[] = [
  {
    path: "/api/shares",
    tag: "Share links",
    operations: {
      get: {
        summary: "Your share links with their view counts",
        description: "The links themselves are never shown again: only their hashes are kept.",
        access: "read",
        success: [{ status: 200, description: "Your share links", data: z.object({ shares: z.array(publicShare) }) }],
      },
      post: {
        summary: "Make a share link to one of your images or collections",
        description: "Exactly one of `image_id` and `collection_id`. Anyone else's image or collection is answered like a missing one (404).",
        access: "generate",
        body: createShareInput,
        example: { image_id: "{image}" },
        success: [{ status: 201, description: "The share, with its link (`url`), shown this once", data: createdShare }],
        errors: [404],
        effect: "creates",
      },
    },
  },
  {
    path: "/api/shares/{id}",
    tag: "Share links",
    params: { id: { resource: "share", description: "a share id" } },
    resource: "share",
    operations: {
      delete: {
        summary: "Revoke a share link at once",
        description: "Someone else's share, a revoked one and a made-up id get the same 404.",
        access: "generate",
        success: [{ status: 200, description: "Revoked", data: null }],
      },
    },
  },
];
