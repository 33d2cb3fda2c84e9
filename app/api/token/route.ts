import { signInOrigin } from "@/lib/auth/throttle";
import { passwordGrant, passwordGrantSchema } from "@/lib/auth/token-service";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const POST = route(async (request) => {
  const input = await parseBody(request, passwordGrantSchema);
  return ok(await passwordGrant(input, signInOrigin(request)));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
