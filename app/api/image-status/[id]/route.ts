import { requireReader } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { getJob } from "@/lib/jobs/service";

export const GET = route<RouteContext<"/api/image-status/[id]">>(async (request, { params }) => {
  // The account check travels with the read: one round trip (lib/auth/require-user.ts).
  const reader = await requireReader(request, "read");
  return ok(await getJob(reader, (await params).id));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
