// The models a person may use: the operator's catalog (IMAGE_MODELS, first the
// default) filtered by the access rules of `npm run admin -- model restrict`.
// A model outside the catalog is a bad request (400); one in the catalog that
// this person may not use is 403 "Model not available" — the catalog is the
// operator's public menu, so saying it exists leaks nothing about anyone.
import "server-only";
import type { ModelAccessRow } from "@/db/schema";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { configuredModelId, offeredModelIds } from "@/lib/generation/models";
import { type Capabilities, capabilitiesOf } from "@/lib/generation/models/capabilities";
import { type ModelRef, modelLabel, parseModelId } from "@/lib/generation/models/catalog";
import { type PublicModel, toPublicModel } from "./public";
import { readModelAccess } from "./queries";

export type Caller = { id: string; role: string };
export type OfferedModel = { id: string; ref: ModelRef; provider: string; label: string; isDefault: boolean; capabilities: Capabilities; cost: number };

function mayUse(caller: Caller, rule: ModelAccessRow | undefined): boolean {
  if (!rule || rule.access === "everyone") return true;
  if (rule.access === "admins") return caller.role === "admin";
  return rule.people.includes(caller.id);
}

function offered(id: string, rule: ModelAccessRow | undefined): OfferedModel {
  const parsed = parseModelId(id);
  // The catalog was validated at start-up (lib/env.ts), so this cannot fail.
  if (!parsed.ok) throw new Error(`IMAGE_MODELS holds an invalid model id: ${id}`);
  return {
    id,
    ref: parsed.ref,
    provider: parsed.ref.provider,
    label: modelLabel(id, parsed.ref),
    isDefault: id === configuredModelId(),
    capabilities: capabilitiesOf(parsed.ref),
    cost: rule?.cost ?? 1,
  };
}

async function catalogFor(caller: Caller): Promise<{ id: string; rule: ModelAccessRow | undefined; allowed: boolean }[]> {
  const ids = offeredModelIds();
  const rules = await readModelAccess({ userId: caller.id, models: ids });
  return ids.map((id) => {
    const rule = rules.find((r) => r.model === id);
    return { id, rule, allowed: mayUse(caller, rule) };
  });
}

export async function listModels(caller: Caller): Promise<{ models: PublicModel[] }> {
  const catalog = await catalogFor(caller);
  return { models: catalog.filter((m) => m.allowed).map((m) => toPublicModel(offered(m.id, m.rule))) };
}

// The model a job asks for (or the default), or the error the request deserves.
export async function modelForJob(caller: Caller, requested: string | undefined): Promise<OfferedModel> {
  const id = requested ?? configuredModelId();
  const entry = (await catalogFor(caller)).find((m) => m.id === id);
  if (!entry) throw new InvalidInputError("model", `"${id}" is not offered here; GET /api/models lists the models you can use`);
  if (!entry.allowed) throw new ForbiddenError("Model not available");
  return offered(entry.id, entry.rule);
}
