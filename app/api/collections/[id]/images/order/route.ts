import { requireUser } from "@/lib/auth/require-user";
import { orderCollectionImagesInput } from "@/lib/collections/input";
import { orderImages } from "@/lib/collections/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// The body is read only once the collection is found to be the caller's.
export const PUT = route<RouteContext<"/api/collections/[id]/images/order">>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  return ok(await orderImages(user.id, (await params).id, () => parseBody(request, orderCollectionImagesInput)));
});

export const { GET, POST, PATCH, DELETE } = methodNotAllowed("PUT");
