import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { varyJob } from "@/lib/jobs/service";

// Someone else's job, a missing one and a malformed id: the same 404, as on every job route.
export const POST = route<RouteContext<"/api/jobs/[id]/vary">>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  const job = await varyJob(user, (await params).id);
  return ok(job, { status: 202, message: "Job queued", headers: { Location: `/api/image-status/${job.job_id}` } });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
