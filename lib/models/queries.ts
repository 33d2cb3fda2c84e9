// The operators' access rules for the model catalog (table model_access, written
// only by `npm run admin -- model …`). Read as darkroom_app inside the caller's
// own transaction: the table holds no one's data, only ids it is compared with.
import "server-only";
import { inArray } from "drizzle-orm";
import { readAsUser } from "@/db/client";
import { type ModelAccessRow, modelAccess } from "@/db/schema";

export async function readModelAccess(input: { userId: string; models: string[] }): Promise<ModelAccessRow[]> {
  if (input.models.length === 0) return [];
  // One statement known up front: the whole transaction in one round trip.
  const [rules] = await readAsUser(input.userId, (tx) => [tx.select().from(modelAccess).where(inArray(modelAccess.model, input.models))]);
  return rules;
}
