// What a resource's fixture provides to the authorization matrix (see fixtures.ts).
import type { TestUser } from "../../support/api";

export type ResourceFixture = {
  // The states the replay covers, each with its own object (e.g. a completed and a failed job).
  states: readonly [string, ...string[]];
  // Makes an object of this resource for `person` in `state`; returns its id.
  create(person: TestUser, state: string): Promise<string>;
  // That person's rows and files of this resource.
  snapshot(person: TestUser): Promise<unknown>;
};

// How a person is named in the prompts their fixtures write ("bob-matrix-1a2b…" → "bob matrix").
export const labelOf = (person: TestUser) => person.email.replace(/-[0-9a-f]{8}@.*$/, "").replaceAll("-", " ");
