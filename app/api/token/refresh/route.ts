import { clientAddress } from "@/lib/auth/client-address";
import { refreshGrant, refreshSchema } from "@/lib/auth/token-service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const POST = route(async (request) => {
  const { refresh_token } = await parseBody(request, refreshSchema);
  return ok(await refreshGrant(refresh_token, clientAddress(request)));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
