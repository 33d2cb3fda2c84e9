import { requireUser } from "@/lib/auth/require-user";
import { parseBody, parseWith } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { createJobInput, idempotencyKeyInput } from "@/lib/jobs/input";
import { createJob } from "@/lib/jobs/service";

export const POST = route(async (request) => {
  const user = await requireUser(request, "generate");
  const header = request.headers.get("idempotency-key");
  const idempotencyKey = header === null ? null : parseWith(idempotencyKeyInput.describe("Idempotency-Key"), header);
  // Only the fields of createJobInput are read: a `user_id` in the body is ignored.
  const input = await parseBody(request, createJobInput);
  const { job, created } = await createJob(user, input, idempotencyKey);
  return ok(job, {
    status: 202,
    message: created ? "Job queued" : "Job already created for this Idempotency-Key",
    headers: { Location: `/api/image-status/${job.job_id}` },
  });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
