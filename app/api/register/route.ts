import { clientAddress } from "@/lib/auth/client-address";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { registerSchema, registerUser } from "@/lib/users/service";

export const POST = route(async (request) => {
  const input = await parseBody(request, registerSchema);
  const user = await registerUser(input, clientAddress(request));
  return ok({ user }, { status: 201, message: "Account created" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
