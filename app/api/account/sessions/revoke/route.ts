import { signOutEverywhere } from "@/lib/account/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const POST = route(async (request) => {
  const user = await requireUser(request);
  await signOutEverywhere(user.id, clientAddress(request));
  return ok(null, { message: "Signed out everywhere" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
