import { requireReader, requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { deleteJob, getJob } from "@/lib/jobs/service";

type Context = RouteContext<"/api/jobs/[id]">;

export const GET = route<Context>(async (request, { params }) => {
  // The account check travels with the read: one round trip (lib/auth/require-user.ts).
  const reader = await requireReader(request, "read");
  return ok(await getJob(reader, (await params).id));
});

export const DELETE = route<Context>(async (request, { params }) => {
  const user = await requireUser(request, "generate");
  await deleteJob(user.id, (await params).id);
  return ok(null, { message: "Job deleted" });
});

export const { POST, PUT, PATCH } = methodNotAllowed("GET", "DELETE");
