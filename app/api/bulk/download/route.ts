import { requireUser } from "@/lib/auth/require-user";
import { bulkJobsInput } from "@/lib/bulk/input";
import { downloadJobs } from "@/lib/bulk/service";
import { parseBody } from "@/lib/http/body";
import { methodNotAllowed, route } from "@/lib/http/handler";

// One zip of the named jobs' images, streamed. POST (JSON, or the gallery's form
// with comma-separated `job_ids`) because a selection does not fit a URL; it
// changes nothing. All of them the caller's, or a 404 before any byte of zip.
export const POST = route(async (request) => {
  const user = await requireUser(request, "read");
  const input = await parseBody(request, bulkJobsInput);
  return new Response(await downloadJobs(user.id, input), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": 'attachment; filename="darkroom-images.zip"',
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
