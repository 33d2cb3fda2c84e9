import { requireUser } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { generationInput } from "@/lib/gateway/input";
import { generateImages } from "@/lib/gateway/service";
import { parseWith, readFields } from "@/lib/http/body";
import { openaiJson, openaiMethodNotAllowed, openaiRoute, requestOrigin } from "@/lib/http/openai";
import { idempotencyKeyInput } from "@/lib/jobs/input";

// OpenAI's image generation (docs/integrations.md): a job in the caller's
// gallery, waited for, answered with its images. A personal API key needs the
// `generate` scope; access tokens and same-site browser sessions work too.
export const POST = openaiRoute(
  async (request) => {
    const user = await requireUser(request, "generate");
    const header = request.headers.get("idempotency-key");
    const idempotencyKey = header === null ? null : parseWith(idempotencyKeyInput.describe("Idempotency-Key"), header);
    // Only OpenAI's fields are read: a `user_id` in the body is ignored, `user` too.
    const input = parseWith(generationInput, await readFields(request));
    return openaiJson(await generateImages(user, input, { idempotencyKey, origin: requestOrigin(request), signal: request.signal }));
  },
  () => getEnv().OPENAI_GATEWAY_WAIT_MS + 10_000,
);

export const { GET, PUT, PATCH, DELETE } = openaiMethodNotAllowed("POST");
