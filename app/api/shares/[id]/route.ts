import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { revokeShare } from "@/lib/shares/service";

// Revokes one share link at once. Someone else's share, a revoked one and a made-up id get the same 404.
export const DELETE = route(async (request, { params }: RouteContext<"/api/shares/[id]">) => {
  const user = await requireUser(request, "generate");
  await revokeShare(user.id, (await params).id, clientAddress(request));
  return ok(null, { message: "Share link revoked" });
});

export const { GET, POST, PUT, PATCH } = methodNotAllowed("DELETE");
