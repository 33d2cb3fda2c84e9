import { requireUser } from "@/lib/auth/require-user";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { imageResponse } from "@/lib/http/image-response";
import { readPreview } from "@/lib/jobs/preview";

// The preview of a job being rendered: the same headers and not-found answers as the image routes.
export const GET = route<RouteContext<"/api/jobs/[id]/preview">>(async (request, { params }) => {
  const user = await requireUser(request, "read");
  return imageResponse(await readPreview(user.id, (await params).id), false);
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
