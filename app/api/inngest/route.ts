// Inngest's serve endpoint. In embedded mode (the default) it does not exist.
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions/generate-image";
import { getEnv } from "@/lib/env";
import { fail } from "@/lib/http/envelope";

export const maxDuration = 300;

const handlers = serve({ client: inngest, functions });

type Handler = (request: Request, context: unknown) => Promise<Response>;
const onlyInInngestMode =
  (handler: Handler): Handler =>
  async (request, context) =>
    getEnv().JOB_RUNNER === "inngest" ? handler(request, context) : fail(404, "Not found");

export const GET = onlyInInngestMode(handlers.GET as Handler);
export const POST = onlyInInngestMode(handlers.POST as Handler);
export const PUT = onlyInInngestMode(handlers.PUT as Handler);
