// The OpenAPI 3.1 document of this API (lib/openapi). Public: it describes the
// routes, never anyone's data, and it is the same for every caller.
import { methodNotAllowed, route } from "@/lib/http/handler";
import { openApiDocument } from "@/lib/openapi/document";

export const GET = route(async () => Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff" } }));

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
