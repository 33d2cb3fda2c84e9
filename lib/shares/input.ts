// What a request about share links may contain: the zod schemas every
// transport parses with. The object ids in a body are checked by the service
// (a malformed id is a missing one, answered like someone else's).
import { z } from "zod";
import { MAX_SHARE_HOURS } from "@/db/schema";

const flag = z.union([z.boolean(), z.enum(["true", "false", "1", "0", "on"]).transform((v) => v === "true" || v === "1" || v === "on")], {
  error: "must be true or false",
});
const objectId = z.string({ error: "must be an id" }).max(100, "must be an id");

// POST /api/shares: exactly one of image_id and collection_id.
export const createShareInput = z
  .object({
    image_id: objectId.optional(),
    collection_id: objectId.optional(),
    expires_in_hours: z.coerce
      .number({ error: "must be a whole number of hours" })
      .int("must be a whole number of hours")
      .min(1, "must be at least 1")
      .max(MAX_SHARE_HOURS, `must be at most ${MAX_SHARE_HOURS}`)
      .optional(),
    include_parameters: flag.optional(),
    show_name: flag.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.image_id === undefined) === (v.collection_id === undefined))
      ctx.addIssue({ code: "custom", path: ["image_id"], message: "give exactly one of image_id and collection_id" });
  });
export type CreateShareInput = z.infer<typeof createShareInput>;
export type CreateShareRequest = z.input<typeof createShareInput>;
