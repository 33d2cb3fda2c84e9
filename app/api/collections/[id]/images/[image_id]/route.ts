import { requireUser } from "@/lib/auth/require-user";
import { removeImage } from "@/lib/collections/service";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Takes the image out of the collection; the image itself stays.
export const DELETE = route<RouteContext<"/api/collections/[id]/images/[image_id]">>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  const { id, image_id } = await params;
  await removeImage(user.id, id, image_id);
  return ok(null, { message: "Image removed from the collection" });
});

export const { GET, POST, PUT, PATCH } = methodNotAllowed("DELETE");
