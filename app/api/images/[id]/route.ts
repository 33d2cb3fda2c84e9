import { requireUser } from "@/lib/auth/require-user";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { imageResponse } from "@/lib/http/image-response";
import { readImage } from "@/lib/jobs/service";

export const GET = route<RouteContext<"/api/images/[id]">>(async (request, { params }) => {
  const user = await requireUser(request);
  const image = await readImage(user.id, (await params).id, "image");
  return imageResponse(image, new URL(request.url).searchParams.get("download") === "1");
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
