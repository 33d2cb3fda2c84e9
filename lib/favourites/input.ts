// What a request about favourites may contain. Starring takes no body (the
// image is the path's id); listing by favourite is a filter of GET /api/jobs.
import { z } from "zod";

// `favourite=1` (or `true`) keeps only jobs with a starred image; anything else is refused.
export const favouriteFilter = z.enum(["1", "true"], { error: "must be 1" }).optional();
