import { requireUser } from "@/lib/auth/require-user";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { imageResponse } from "@/lib/http/image-response";
import { readImage } from "@/lib/images/service";

// [id]: an image id, or a job id meaning the job's first image (as before jobs had several).
export const GET = route<RouteContext<"/api/images/[id]/thumbnail">>(async (request, { params }) => {
  const user = await requireUser(request, "read");
  const { file } = await readImage(user.id, (await params).id, "thumbnail");
  return imageResponse(file, new URL(request.url).searchParams.get("download") === "1");
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
