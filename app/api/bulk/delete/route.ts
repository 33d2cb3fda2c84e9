import { requireUser } from "@/lib/auth/require-user";
import { bulkJobsInput } from "@/lib/bulk/input";
import { deleteJobs } from "@/lib/bulk/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Deletes the named jobs with their images and files: all of them the caller's, or nothing is deleted (404).
export const POST = route(async (request) => {
  const user = await requireUser(request, "generate");
  const input = await parseBody(request, bulkJobsInput);
  return ok(await deleteJobs(user.id, input), { message: "Jobs deleted" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
