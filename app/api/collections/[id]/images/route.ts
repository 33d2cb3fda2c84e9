import { requireUser } from "@/lib/auth/require-user";
import { addCollectionImageInput } from "@/lib/collections/input";
import { addImage } from "@/lib/collections/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// The body is read only once the collection is found to be the caller's.
export const POST = route<RouteContext<"/api/collections/[id]/images">>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  const { added, collection } = await addImage(user.id, (await params).id, () => parseBody(request, addCollectionImageInput));
  return ok(collection, { status: added ? 201 : 200, message: added ? "Image added" : "Image already in the collection" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
