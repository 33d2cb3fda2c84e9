// Collections: a person's rows in collections and collection_images. The
// `entry` resource addresses one image inside one collection
// (/api/collections/[id]/images/[image_id]); its id is "<collection>+<image>",
// split by the matrix when it fills the route.
import { call, type TestUser } from "../../support/api";
import { sql } from "../../support/db";
import { image } from "./image";
import { labelOf, type ResourceFixture } from "./types";

async function newCollection(person: TestUser): Promise<string> {
  const res = await call("/api/collections", { token: person.token, json: { name: `${labelOf(person)} collection`, description: "matrix" } });
  if (res.status !== 201) throw new Error(`could not create a collection: ${res.status} ${res.text}`);
  return res.json.data.collection_id;
}

async function snapshot(person: TestUser) {
  return {
    collections: await sql()`select id, name, description, position, updated_at from collections where user_id = ${person.id} order by id`,
    entries: await sql()`select collection_id, image_id, position from collection_images where user_id = ${person.id} order by collection_id, image_id`,
  };
}

export const collection: ResourceFixture = {
  states: ["empty"],
  create: (person) => newCollection(person),
  snapshot,
};

export const collectionEntry: ResourceFixture = {
  states: ["member"],
  async create(person) {
    const collectionId = await newCollection(person);
    const imageId = await image.create(person, "image");
    const res = await call(`/api/collections/${collectionId}/images`, { token: person.token, json: { image_id: imageId } });
    if (res.status !== 201) throw new Error(`could not add an image: ${res.status} ${res.text}`);
    return `${collectionId}+${imageId}`;
  },
  snapshot,
};
