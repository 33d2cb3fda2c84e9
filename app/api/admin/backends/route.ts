import { requireAdmin } from "@/lib/auth/require-user";
import { backendStatuses } from "@/lib/generation/backends";
import { ok } from "@/lib/http/envelope";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Admins only (403 otherwise, like the other /api/admin routes): each configured
// GPU backend, whether it answers, and its models (checkpoint titles, workflows).
export const GET = route(async (request) => {
  await requireAdmin(request);
  return ok({ backends: await backendStatuses(5000) });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
