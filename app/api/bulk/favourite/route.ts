import { requireUser } from "@/lib/auth/require-user";
import { bulkFavouriteInput } from "@/lib/bulk/input";
import { favouriteJobs } from "@/lib/bulk/service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Stars (or unstars) every image of the named jobs: all of them the caller's, or nothing changes (404).
export const POST = route(async (request) => {
  const user = await requireUser(request, "generate");
  const input = await parseBody(request, bulkFavouriteInput);
  return ok(await favouriteJobs(user.id, input));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
