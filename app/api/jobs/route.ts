import { requireUser } from "@/lib/auth/require-user";
import { parseWith } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { listJobsSchema } from "@/lib/jobs/schema";
import { listJobs } from "@/lib/jobs/service";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const input = parseWith(listJobsSchema, query);
  return ok(await listJobs(user.id, input));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
