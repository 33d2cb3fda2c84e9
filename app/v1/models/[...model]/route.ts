import { requireUser } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { getGatewayModel } from "@/lib/gateway/service";
import { openaiJson, openaiMethodNotAllowed, openaiRoute } from "@/lib/http/openai";

// One model, if the caller may use it ("local/sketch" has a slash: a catch-all).
// A model the caller may not use is the same 404 as one that does not exist.
export const GET = openaiRoute<RouteContext<"/v1/models/[...model]">>(
  async (request, { params }) => {
    const user = await requireUser(request, "any");
    return openaiJson(await getGatewayModel(user, (await params).model.map(decodeURIComponent).join("/")));
  },
  () => getEnv().REQUEST_TIMEOUT_MS,
);

export const { POST, PUT, PATCH, DELETE } = openaiMethodNotAllowed("GET");
