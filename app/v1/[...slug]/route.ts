// Unknown /v1 paths (OpenAI endpoints Darkroom does not offer, such as
// /v1/images/edits) answer in OpenAI's shape and words, not with the HTML 404 page.
import { DomainError } from "@/lib/errors";
import { openaiRoute } from "@/lib/http/openai";

const notFound = openaiRoute(
  async (request) => {
    throw new DomainError("not_found", `Invalid URL (${request.method} ${new URL(request.url).pathname})`);
  },
  () => 5000,
);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
