import { revokeApiKey } from "@/lib/api-keys/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Revokes one key. Someone else's key, a revoked one and a made-up id all get the same 404.
export const DELETE = route(async (request, { params }: RouteContext<"/api/account/keys/[id]">) => {
  const user = await requireUser(request);
  await revokeApiKey(user.id, (await params).id, clientAddress(request));
  return ok(null, { message: "API key revoked" });
});

export const { GET, POST, PUT, PATCH } = methodNotAllowed("DELETE");
