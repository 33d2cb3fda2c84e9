import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { getJob } from "@/lib/jobs/service";

export const GET = route<RouteContext<"/api/image-status/[id]">>(async (request, { params }) => {
  const user = await requireUser(request, "read");
  return ok(await getJob(user.id, (await params).id));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
