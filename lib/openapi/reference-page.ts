// The API reference page (/docs/api): Scalar's standalone bundle, served from
// node_modules by this app (no CDN: many deployments have no internet), rendering
// GET /api/openapi.json. It runs under the pages' CSP unchanged (proxy.ts):
// both scripts carry the request's nonce, Scalar's styles are inline (allowed),
// its default fonts (fonts.scalar.com) are turned off, and it needs no eval.
// Public on purpose: the page and the document describe routes, never anyone's data.
import { readFile } from "node:fs/promises";
import path from "node:path";

const BUNDLE = path.join(process.cwd(), "node_modules/@scalar/api-reference/dist/browser/standalone.js");

// The zod bundled inside Scalar probes whether eval works (`Function("")` in a
// try/catch) and falls back to plain code when it does not. Under this CSP the
// probe fails as intended but the browser still reports a violation; answering
// the probe with "no" up front keeps the page free of violations without
// allowing 'unsafe-eval'. (If a Scalar upgrade changes the probe, the e2e test
// e2e/api-reference.spec.ts sees the violation again.)
const EVAL_PROBE = "try{return Function(``),!0}catch{return!1}";

let bundle: Promise<string> | undefined;
export const scalarBundle = () => {
  bundle ??= readFile(BUNDLE, "utf8").then((source) => source.replace(EVAL_PROBE, "return!1"));
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
  defaultOpenAllTags: true,
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
<link rel="icon" href="data:,">
</head>
<body>
<div id="darkroom-api-reference"></div>
<script nonce="${n}" src="/docs/api/scalar.js"></script>
<script nonce="${n}">Scalar.createApiReference("#darkroom-api-reference", ${inlineJson(CONFIGURATION)});</script>
</body>
</html>`;
}
