import { requireUser } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { listGatewayModels } from "@/lib/gateway/service";
import { openaiJson, openaiMethodNotAllowed, openaiRoute } from "@/lib/http/openai";

// The image models the caller may use, in OpenAI's list shape; any key may ask.
export const GET = openaiRoute(
  async (request) => {
    const user = await requireUser(request, "any");
    return openaiJson(await listGatewayModels(user));
  },
  () => getEnv().REQUEST_TIMEOUT_MS,
);

export const { POST, PUT, PATCH, DELETE } = openaiMethodNotAllowed("GET");
