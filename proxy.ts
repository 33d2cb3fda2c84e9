// Security headers for pages and API answers. A convenience layer only: it
// never decides who may see what — every route handler, page and server
// action checks the caller itself (a proxy can be bypassed or misconfigured).
import { type NextRequest, NextResponse } from "next/server";

function contentSecurityPolicy(nonce: string, isApi: boolean): string {
  if (isApi) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // Next.js reads the nonce from this header and puts it on its own scripts.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const isApi = request.nextUrl.pathname.startsWith("/api/");
  const csp = contentSecurityPolicy(nonce, isApi);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });

  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (process.env.DARKROOM_ENV === "production") {
    response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
  return response;
}

export const config = {
  // Inngest's endpoint verifies its own signatures and must not be touched; static assets need no CSP.
  matcher: ["/((?!api/inngest|_next/static|_next/image|favicon.ico).*)"],
};
