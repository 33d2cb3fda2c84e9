import { requireUser } from "@/lib/auth/require-user";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { imageResponse } from "@/lib/http/image-response";
import { withParameters } from "@/lib/images/parameters";
import { readImage } from "@/lib/images/service";

// [id]: an image id, or a job id meaning the job's first image (as before jobs had several).
// `?download=1` makes it an attachment; `?parameters=1` opts in to the prompt and
// settings inside the file (stored files never carry them).
export const GET = route<RouteContext<"/api/images/[id]">>(async (request, { params }) => {
  const user = await requireUser(request, "read");
  const query = new URL(request.url).searchParams;
  const { file, job, image } = await readImage(user.id, (await params).id, "image");
  return imageResponse(query.get("parameters") === "1" ? await withParameters(file, job, image) : file, query.get("download") === "1");
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
