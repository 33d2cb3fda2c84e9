// Query-string parsing for list routes.
import { z } from "zod";
import { parseWith } from "./body";

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  return parseWith(schema, Object.fromEntries(new URL(request.url).searchParams));
}

// Every list's page size: a whole number from 1 to 100 (API4: no unbounded pages).
export const pageLimit = (fallback: number) =>
  z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(fallback);
