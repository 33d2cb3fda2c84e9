import { createApiKeyInput } from "@/lib/api-keys/input";
import { createApiKey, listApiKeys } from "@/lib/api-keys/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { parseBody } from "@/lib/http/body";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Personal API keys are managed with a session or an access token only: an API
// key cannot list, make or revoke keys (requireUser's default refuses keys).
export const GET = route(async (request) => {
  const user = await requireUser(request);
  return ok(await listApiKeys(user.id));
});

// The key itself is in this answer and nowhere else, ever.
export const POST = route(async (request) => {
  const user = await requireUser(request);
  const input = await parseBody(request, createApiKeyInput);
  return ok(await createApiKey(user.id, input, clientAddress(request)), { status: 201, message: "API key created: copy it now, it will not be shown again" });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
