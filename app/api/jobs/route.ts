import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { parseQuery } from "@/lib/http/query";
import { listJobsInput } from "@/lib/jobs/input";
import { listJobs } from "@/lib/jobs/service";

export const GET = route(async (request) => {
  const user = await requireUser(request, "read");
  const input = parseQuery(request, listJobsInput);
  return ok(await listJobs(user.id, input));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
