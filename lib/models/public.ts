// The public shape of a model of the catalog, as GET /api/models lists it.
// Who else may use it and what it costs are the operator's business.
import type { Capabilities } from "@/lib/generation/models/capabilities";

export type PublicModel = { id: string; label: string; provider: string; default: boolean; capabilities: Capabilities };

export function toPublicModel(model: { id: string; label: string; provider: string; isDefault: boolean; capabilities: Capabilities }): PublicModel {
  return { id: model.id, label: model.label, provider: model.provider, default: model.isDefault, capabilities: model.capabilities };
}
