import { requireUser } from "@/lib/auth/require-user";
import { createCollectionInput } from "@/lib/collections/input";
import { createCollection, listCollections } from "@/lib/collections/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const GET = route(async (request) => {
  const user = await requireUser(request, "read");
  return ok(await listCollections(user.id));
});

export const POST = route(async (request) => {
  const user = await requireUser(request, "generate");
  const input = await parseBody(request, createCollectionInput);
  return ok(await createCollection(user.id, input), { status: 201, message: "Collection created" });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
