// Query-string parsing for list routes.
import type { z } from "zod";
import { parseWith } from "./body";

// Kept here too for existing imports; request schemas import it from lib/page.ts.
export { pageLimit } from "@/lib/page";

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  return parseWith(schema, Object.fromEntries(new URL(request.url).searchParams));
}
