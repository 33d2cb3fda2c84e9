import { deleteAccountInput } from "@/lib/account/input";
import { deleteAccount } from "@/lib/account/service";
import { requireUser } from "@/lib/auth/require-user";
import { signInOrigin } from "@/lib/auth/throttle";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const GET = route(async (request) => {
  // Who the credential belongs to: any API key may ask (nothing here it could misuse).
  const { id, email, name, role } = await requireUser(request, "any");
  return ok({ user: { id, email, name, role } });
});

export const DELETE = route(async (request) => {
  const user = await requireUser(request);
  const { password } = await parseBody(request, deleteAccountInput);
  await deleteAccount(user, password, signInOrigin(request));
  return ok(null, { message: "Account deleted" });
});

export const { POST, PUT, PATCH } = methodNotAllowed("GET", "DELETE");
