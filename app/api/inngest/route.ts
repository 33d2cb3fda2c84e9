// Inngest's serve endpoint. In embedded mode (the default) it does not exist.
// In Inngest mode every request must carry a valid X-Inngest-Signature (HMAC
// with INNGEST_SIGNING_KEY); unsigned or badly signed calls get 401.
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions/generate-image";
import { inngestRunner } from "@/inngest/runner";
import { getEnv, inngestDevMode } from "@/lib/env";
import { registerRunner } from "@/lib/generation/runners";
import { fail } from "@/lib/http/envelope";

// Also registered by instrumentation.ts; repeated here so this bundle never depends on load order.
registerRunner(inngestRunner);

// Long renders run inside one request from Inngest; give them room.
export const maxDuration = 300;

// enableUnauthedSync: false — an unsigned PUT must not be able to make this app
// re-register itself (or reach out to Inngest) on a stranger's behalf.
const handlers = serve({ client: inngest, functions, enableUnauthedSync: false });

type Handler = (request: Request, context: unknown) => Promise<Response>;

const onlyInInngestMode =
  (handler: Handler): Handler =>
  async (request, context) => {
    const env = getEnv();
    if (env.JOB_RUNNER !== "inngest") return fail(404, "Not found");
    // Cheap first wall: without a signature nothing is parsed (the SDK then verifies the HMAC).
    if (!inngestDevMode(env.INNGEST_DEV) && !request.headers.get("x-inngest-signature")) {
      return Response.json({ message: "Unauthorized" }, { status: 401 });
    }
    const body = request.method === "GET" ? "" : await request.clone().text();
    if (body.trim() !== "") {
      try {
        JSON.parse(body);
      } catch {
        // The SDK would throw on it (a 500): malformed input is the caller's fault.
        return fail(400, "Malformed JSON body");
      }
    }
    return handler(request, context);
  };

export const GET = onlyInInngestMode(handlers.GET as Handler);
export const POST = onlyInInngestMode(handlers.POST as Handler);
export const PUT = onlyInInngestMode(handlers.PUT as Handler);
