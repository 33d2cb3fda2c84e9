import { beforeRead, requireReader } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { parseQuery } from "@/lib/http/query";
import { listJobsInput } from "@/lib/jobs/input";
import { listJobs } from "@/lib/jobs/service";

export const GET = route(async (request) => {
  // The account check travels with the first read (lib/auth/require-user.ts).
  const reader = await requireReader(request, "read");
  const input = await beforeRead(reader, () => parseQuery(request, listJobsInput));
  return ok(await listJobs(reader, input));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
