import { requireUser } from "@/lib/auth/require-user";
import { starImage, unstarImage } from "@/lib/favourites/service";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

type Context = RouteContext<"/api/images/[id]/favourite">;

// PUT stars, DELETE unstars; both are idempotent and answer the image's state.
export const PUT = route<Context>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  return ok(await starImage(user.id, (await params).id));
});

export const DELETE = route<Context>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  return ok(await unstarImage(user.id, (await params).id));
});

export const { GET, POST, PATCH } = methodNotAllowed("PUT", "DELETE");
