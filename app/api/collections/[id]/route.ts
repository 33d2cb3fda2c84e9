import { requireUser } from "@/lib/auth/require-user";
import { updateCollectionInput } from "@/lib/collections/input";
import { deleteCollection, getCollection, updateCollection } from "@/lib/collections/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

type Context = RouteContext<"/api/collections/[id]">;

export const GET = route<Context>(async (request, { params }) => {
  const user = await requireUser(request, "read");
  return ok(await getCollection(user.id, (await params).id));
});

// The body is read only once the collection is found to be the caller's.
export const PATCH = route<Context>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  return ok(await updateCollection(user.id, (await params).id, () => parseBody(request, updateCollectionInput)));
});

// The collection goes; its images stay.
export const DELETE = route<Context>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  await deleteCollection(user.id, (await params).id);
  return ok(null, { message: "Collection deleted" });
});

export const { POST, PUT } = methodNotAllowed("GET", "PATCH", "DELETE");
