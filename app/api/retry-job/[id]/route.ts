import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { retryJob } from "@/lib/jobs/service";

export const POST = route<RouteContext<"/api/retry-job/[id]">>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  const job = await retryJob(user.id, (await params).id);
  return ok(job, { status: 202, message: "Job queued again", headers: { Location: `/api/image-status/${job.job_id}` } });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
