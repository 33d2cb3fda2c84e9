import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";
import { createShareInput } from "@/lib/shares/input";
import { createShare, listShares } from "@/lib/shares/service";

// The caller's share links with their view counts (never the links themselves:
// only hashes are kept, so a link is shown once, when it is made).
export const GET = route(async (request) => {
  const user = await requireUser(request, "read");
  return ok(await listShares(user.id));
});

// Someone else's image or collection is answered exactly like a missing one.
export const POST = route(async (request) => {
  const user = await requireUser(request, "generate");
  const input = await parseBody(request, createShareInput);
  const share = await createShare(user.id, input, new URL(request.url).origin, clientAddress(request));
  return ok(share, { status: 201, message: "Share link created: copy it now, it will not be shown again" });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
