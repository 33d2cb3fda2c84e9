import { requireUser } from "@/lib/auth/require-user";
import { bulkJobsInput } from "@/lib/bulk/input";
import { downloadJobs } from "@/lib/bulk/service";
import { parseBody } from "@/lib/http/body";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { parseQuery } from "@/lib/http/query";

// One zip of the named jobs' images, streamed. It changes nothing, so it is a
// GET (`?job_ids=<id>,<id>,…`, at most 100: the gallery's download link, which
// the browser saves to disk as it arrives), and also a POST with a JSON body for
// API clients. All of them the caller's, or a 404 before any byte of zip.
const zip = async (userId: string, input: { job_ids: string[] }) =>
  new Response(await downloadJobs(userId, input), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": 'attachment; filename="darkroom-images.zip"',
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });

export const GET = route(async (request) => {
  const user = await requireUser(request, "read");
  return zip(user.id, parseQuery(request, bulkJobsInput));
});

export const POST = route(async (request) => {
  const user = await requireUser(request, "read");
  return zip(user.id, await parseBody(request, bulkJobsInput));
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
