// Scalar's standalone bundle for the reference page, from node_modules (no CDN).
import { scalarBundle } from "@/lib/openapi/reference-page";

export async function GET() {
  return new Response(await scalarBundle(), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
