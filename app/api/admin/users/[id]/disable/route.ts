import { disableUser } from "@/lib/admin/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireAdmin } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const POST = route<RouteContext<"/api/admin/users/[id]/disable">>(async (request, { params }) => {
  const admin = await requireAdmin(request);
  await disableUser(admin.id, (await params).id, clientAddress(request));
  return ok(null, { message: "Account disabled" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
