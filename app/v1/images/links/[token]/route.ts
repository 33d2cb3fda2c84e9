import { getEnv } from "@/lib/env";
import { readLinkedImage } from "@/lib/gateway/service";
import { imageResponse } from "@/lib/http/image-response";
import { openaiMethodNotAllowed, openaiRoute } from "@/lib/http/openai";

// A signed link from a `response_format: "url"` answer. The link is the
// credential (no Authorization): a forged, tampered, expired or revoked link,
// and one whose image is gone, all answer the same 404.
export const GET = openaiRoute<RouteContext<"/v1/images/links/[token]">>(
  async (_request, { params }) => imageResponse(await readLinkedImage((await params).token), false),
  () => getEnv().REQUEST_TIMEOUT_MS,
);

export const { POST, PUT, PATCH, DELETE } = openaiMethodNotAllowed("GET");
