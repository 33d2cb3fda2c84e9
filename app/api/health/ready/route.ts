import { readiness } from "@/lib/health";
import { fail, ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// An unreachable database becomes the envelope's 503 through the route wrapper.
export const GET = route(async () => {
  const state = await readiness();
  if (!state.ready) return fail(503, `Not ready: ${JSON.stringify(state.checks)}`, { "Retry-After": "5" });
  return ok({ status: "ready", checks: state.checks });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
