// The API reference page. Public: it renders the public OpenAPI document and reads no session.
import { referencePage } from "@/lib/openapi/reference-page";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  // proxy.ts puts the CSP nonce of this response on the request; the page's scripts carry it.
  const nonce = request.headers.get("x-nonce") ?? "";
  return new Response(referencePage(nonce), { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
