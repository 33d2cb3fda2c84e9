// Security headers for pages and API answers. A convenience layer only: it
// never decides who may see what — every route handler, page and server
// action checks the caller itself (a proxy can be bypassed or misconfigured).
import { type NextRequest, NextResponse } from "next/server";

// API answers are JSON or image bytes, never HTML: one fixed policy, no nonce.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function pageContentSecurityPolicy(nonce: string): string {
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

// The same headers on every answer, computed once (DARKROOM_ENV does not change while the server runs).
const COMMON_HEADERS: [string, string][] = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "no-referrer"],
  ["X-Frame-Options", "DENY"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"],
  ...(process.env.DARKROOM_ENV === "production" ? ([["Strict-Transport-Security", "max-age=63072000; includeSubDomains"]] as [string, string][]) : []),
];

export function proxy(request: NextRequest) {
  let response: NextResponse;
  let csp: string;
  const path = request.nextUrl.pathname;
  if (path.startsWith("/s/")) {
    // Share links (app/s) answer anonymous visitors with their own fixed,
    // stricter policy (no script at all) and one byte-identical 404 for every
    // wrong link: a per-request nonce policy here would replace both.
    response = NextResponse.next();
    for (const [name, value] of COMMON_HEADERS) response.headers.set(name, value);
    return response;
  }
  // The OpenAI-compatible gateway (/v1) is an API too: JSON and image bytes.
  if (path.startsWith("/api/") || path.startsWith("/v1/")) {
    // API routes render no scripts, so they need no nonce, and nothing reads
    // the request's copy of the policy: the request goes on unchanged (Next then
    // has no request headers to rewrite), with the same response headers as ever.
    csp = API_CSP;
    response = NextResponse.next();
  } else {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    csp = pageContentSecurityPolicy(nonce);
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of COMMON_HEADERS) response.headers.set(name, value);
  return response;
}

export const config = {
  // Inngest's endpoint verifies its own signatures and must not be touched; static assets need no CSP.
  matcher: ["/((?!api/inngest|_next/static|_next/image|favicon.ico).*)"],
};
