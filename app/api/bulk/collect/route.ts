import { requireUser } from "@/lib/auth/require-user";
import { bulkCollectInput } from "@/lib/bulk/input";
import { collectJobs } from "@/lib/bulk/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Adds every image of the named jobs to one of the caller's collections: all of them the caller's, or nothing changes (404).
export const POST = route(async (request) => {
  const user = await requireUser(request, "generate");
  const input = await parseBody(request, bulkCollectInput);
  return ok(await collectJobs(user.id, input));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
