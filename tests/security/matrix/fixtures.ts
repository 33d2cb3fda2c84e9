// Per-resource fixtures for the authorization matrix. Every route with an
// `[id]` segment names the resource its id belongs to, and that resource must
// have a fixture here: `create` makes an object of that resource for a person
// (in one of the listed states) and returns its id; `snapshot` reads that
// person's rows and files of the resource, so the matrix can prove that a
// call by someone else changed nothing. Adding a user-owned resource means
// adding its fixture (docs/architecture.md).
import type { TestUser } from "../../support/api";
import { account } from "./account";
import { api_key } from "./api-key";
import { collection, collectionEntry } from "./collection";
import { image } from "./image";
import { job } from "./job";
import { preview } from "./preview";
import { session } from "./session";
import { share } from "./share";
import type { ResourceFixture } from "./types";

export const FIXTURES = { job, image, account, session, api_key, collection, collection_entry: collectionEntry, preview, share } satisfies Record<
  string,
  ResourceFixture
>;
export type ResourceName = keyof typeof FIXTURES;

export const isResource = (name: string | undefined): name is ResourceName => name !== undefined && Object.hasOwn(FIXTURES, name);

// Everything of a person's that any resource holds.
export async function snapshotAll(person: TestUser): Promise<Record<string, unknown>> {
  const entries = await Promise.all(Object.entries(FIXTURES).map(async ([name, fixture]) => [name, await fixture.snapshot(person)] as const));
  return Object.fromEntries(entries);
}
