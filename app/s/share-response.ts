// The anonymous side of share links (/s/<token>): plain server-rendered HTML
// with its own small stylesheet in the app's palette, no script at all (it
// works without JavaScript, and there is nothing for a CSP nonce to cover), and
// the same headers on every answer: never cached or stored, never indexed,
// never a Referer to anywhere. An unknown, expired and revoked link get one
// fixed 404 page, byte for byte. (proxy.ts leaves the CSP set here in place
// under /s/, so no per-request nonce makes two answers differ.)
import { clientAddress } from "@/lib/auth/client-address";
import { DomainError, RateLimitedError } from "@/lib/errors";
import { toErrorResponse } from "@/lib/http/handler";
import type { SharedView } from "@/lib/shares/public";
import { readSharedImage } from "@/lib/shares/service";
import { consumeShareRequest } from "@/lib/shares/throttle";

export const SHARE_HEADERS: Record<string, string> = {
  "Cache-Control": "private, no-store",
  "X-Robots-Tag": "noindex, nofollow, noimageindex, noarchive",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Resource-Policy": "same-origin",
};
const PAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
:root{color-scheme:light dark;--bg:#f5f2ec;--surface:#fffdfa;--line:#e2dad0;--fg:#1b1815;--muted:#62594f;--accent:#b3261e;--shadow:0 1px 2px rgb(27 24 21/.06),0 8px 24px -12px rgb(27 24 21/.18)}
@media (prefers-color-scheme:dark){:root{--bg:#0e0d0c;--surface:#171514;--line:#2c2826;--fg:#efeae4;--muted:#a69e95;--accent:#ff7a5c;--shadow:0 1px 2px rgb(0 0 0/.5),0 12px 32px -16px rgb(0 0 0/.8)}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 ui-sans-serif,system-ui,sans-serif}
header,main,footer{max-width:72rem;margin:0 auto;padding:1.25rem 1rem}
header{display:flex;align-items:center;gap:.5rem;font-family:ui-serif,Georgia,serif;font-weight:600;letter-spacing:-.01em}
.dot{width:.7rem;height:.7rem;border-radius:50%;background:var(--accent)}
h1{font-family:ui-serif,Georgia,serif;font-size:1.9rem;line-height:1.2;margin:.25rem 0 .5rem;letter-spacing:-.02em}
.muted{color:var(--muted);font-size:.875rem}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));margin-top:1.5rem}
.one{max-width:56rem;margin:1.5rem auto 0}
figure{margin:0;border:1px solid var(--line);border-radius:1rem;background:var(--surface);box-shadow:var(--shadow);overflow:hidden}
figure img{display:block;width:100%;height:auto;background:var(--line)}
figcaption{padding:.75rem 1rem;font-size:.875rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
a{color:var(--accent)}footer{font-size:.8rem;color:var(--muted)}
.center{text-align:center;padding:4rem 1rem}.big{font-family:ui-serif,Georgia,serif;font-size:4rem;color:var(--accent);margin:0}
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Darkroom</title><style>${STYLE}</style></head><body><header><span class="dot" aria-hidden="true"></span>Darkroom</header>${body}<footer>Shared from Darkroom, a private image studio. This link is private: anyone who has it can see this page until it expires or is revoked.</footer></body></html>`;
}

function parameters(image: SharedView["images"][number]): string {
  const p = image.parameters;
  if (!p) return "";
  const rows: [string, string | null][] = [
    ["Prompt", p.prompt],
    ["Negative", p.negative_prompt],
    ["Style", p.style],
    ["Model", p.model],
    ["Seed", p.seed === null ? null : String(p.seed)],
  ];
  return `<figcaption><dl>${rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join("")}</dl></figcaption>`;
}

export function renderShare(token: string, view: SharedView): string {
  const base = `/s/${encodeURIComponent(token)}`;
  const title = view.kind === "collection" ? (view.title ?? "A collection") : "A shared image";
  const by = view.owner_name ? `<p class="muted">Shared by ${escapeHtml(view.owner_name)}</p>` : "";
  const description = view.description ? `<p>${escapeHtml(view.description)}</p>` : "";
  const figures = view.images
    .map((image) => {
      const alt = image.parameters ? image.parameters.prompt : `Image ${image.n + 1}`;
      const src = view.kind === "collection" ? `${base}/thumbnail/${image.n}` : `${base}/image/${image.n}`;
      return `<figure><a href="${base}/image/${image.n}" rel="noreferrer"><img src="${src}" width="${image.width}" height="${image.height}" alt="${escapeHtml(alt)}" loading="lazy"></a>${parameters(image)}</figure>`;
    })
    .join("");
  const empty = view.images.length === 0 ? `<p class="muted">This collection is empty.</p>` : "";
  const count = view.kind === "collection" ? `<p class="muted">${view.images.length} image${view.images.length === 1 ? "" : "s"}</p>` : "";
  return page(
    title,
    `<main><h1>${escapeHtml(title)}</h1>${by}${description}${count}${empty}<div class="${view.kind === "collection" ? "grid" : "one"}">${figures}</div></main>`,
  );
}

const NOT_FOUND_PAGE = page(
  "Not found",
  `<main class="center"><p class="big">404</p><h1>Nothing developed here</h1><p class="muted">This link doesn't exist, has expired, or was revoked.</p></main>`,
);
const RATE_LIMITED_PAGE = page("Slow down", `<main class="center"><h1>Too many requests</h1><p class="muted">Please wait a moment and reload.</p></main>`);

export function html(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { ...SHARE_HEADERS, "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": PAGE_CSP, ...extra },
  });
}

// Every share request: rate-limited first, then the handler; a missing link is
// the fixed 404 page (also for the image routes: nothing tells an image route's
// unknown token from a revoked one), 429 with Retry-After; anything else goes
// to the app's usual error answer.
export async function shareRoute(request: Request, handler: () => Promise<Response>): Promise<Response> {
  try {
    await consumeShareRequest(clientAddress(request));
    return await handler();
  } catch (error) {
    if (error instanceof RateLimitedError) return html(429, RATE_LIMITED_PAGE, { "Retry-After": String(error.retryAfterSeconds ?? 60) });
    if (error instanceof DomainError && error.kind === "not_found") return html(404, NOT_FOUND_PAGE);
    return toErrorResponse(error);
  }
}

// GET of the n-th image or thumbnail of a share link: the stored file, which
// carries no metadata (lib/generation/clean.ts), sandboxed like the image routes.
export function sharedFileRoute(variant: "image" | "thumbnail") {
  return (request: Request, { params }: { params: Promise<{ token: string; n: string }> }) =>
    shareRoute(request, async () => {
      const { token, n } = await params;
      const file = await readSharedImage(token, n, variant);
      return new Response(new Uint8Array(file.bytes), {
        status: 200,
        headers: {
          ...SHARE_HEADERS,
          "Content-Type": file.contentType,
          "Content-Length": String(file.bytes.byteLength),
          "Content-Security-Policy": "default-src 'none'; sandbox",
        },
      });
    });
}
