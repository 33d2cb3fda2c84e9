import { refreshSchema, revoke } from "@/lib/auth/token-service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const POST = route(async (request) => {
  const { refresh_token } = await parseBody(request, refreshSchema);
  await revoke(refresh_token);
  return ok(null, { message: "Token revoked" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
