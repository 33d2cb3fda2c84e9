// Shared pieces of every list's request schema.
import { z } from "zod";

// Every list's page size: a whole number from 1 to 100 (API4: no unbounded pages).
export const pageLimit = (fallback: number) =>
  z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(fallback);
