// The API reference page (/docs/api): Scalar's standalone bundle, served from
// node_modules by this app (no CDN: many deployments have no internet), rendering
// GET /api/openapi.json. It runs under the pages' CSP unchanged (proxy.ts):
// both scripts carry the request's nonce, Scalar's styles are inline (allowed),
// its default fonts (fonts.scalar.com) are turned off, and it needs no eval.
// Public on purpose: the page and the document describe routes, never anyone's data.
import { readFile } from "node:fs/promises";
import path from "node:path";

const BUNDLE = path.join(process.cwd(), "node_modules/@scalar/api-reference/dist/browser/standalone.js");
let bundle: Promise<Buffer> | undefined;
export const scalarBundle = () => {
  bundle ??= readFile(BUNDLE);
  return bundle;
};

// Nothing that could reach another host: no telemetry, no hosted proxy, no AI agent, no default fonts.
const CONFIGURATION = {
  url: "/api/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: "json",
  metaData: { title: "Darkroom API reference" },
};

// `<` is escaped so the JSON can never close the script element.
const inlineJson = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

export function referencePage(nonce: string): string {
  const n = nonce.replace(/[^A-Za-z0-9+/=]/g, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="csp-nonce" content="${n}">
<title>Darkroom API reference</title>
</head>
<body>
<div id="api-reference"></div>
<script nonce="${n}" src="/docs/api/scalar.js"></script>
<script nonce="${n}">Scalar.createApiReference("#api-reference", ${inlineJson(CONFIGURATION)});</script>
</body>
</html>`;
}
