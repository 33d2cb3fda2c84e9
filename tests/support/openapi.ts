// Checks real answers against the OpenAPI document the server publishes
// (GET /api/openapi.json): the status must be documented for that path and
// method, the content type must be one of that response's, and a JSON body
// must match its schema (ajv, JSON Schema 2020-12, with formats). `call()` in
// tests/support/api.ts runs this on every answer to a documented route, so
// every API test also proves the document right.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Parameter = { in: string; name: string; "x-darkroom-catch-all"?: boolean };
type Doc = { paths: Record<string, Record<string, { parameters?: Parameter[]; responses: Record<string, { content?: Record<string, unknown> }> }>> };

// A path parameter matches one segment, or several for a catch-all ([...model]: `local/sketch`).
const patternOf = (template: string, operations: Doc["paths"][string]) => {
  const catchAll = new Set(
    Object.values(operations).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === "path" && p["x-darkroom-catch-all"]).map((p) => p.name)),
  );
  const source = template.replace(/[.]/g, "\\.").replace(/\{([^}]+)\}/g, (_, name: string) => (catchAll.has(name) ? ".+" : "[^/]+"));
  return new RegExp(`^${source}$`);
};

let loaded: Promise<{ doc: Doc; ajv: Ajv2020; templates: { template: string; pattern: RegExp }[] }> | undefined;

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

export function loadDocument(base: string) {
  loaded ??= (async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    const doc = (await res.json()) as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema(doc, "openapi");
    // Longest literal paths first, so /api/account/sessions/revoke wins over /api/account/sessions/{id}.
    const templates = Object.keys(doc.paths)
      .map((template) => ({ template, pattern: patternOf(template, doc.paths[template]!) }))
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    return { doc, ajv, templates };
  })();
  return loaded;
}

// The documented path template a request path falls under (the seed's /api/v1/… aliases included), or null.
export async function documentedTemplate(base: string, path: string): Promise<string | null> {
  const { templates } = await loadDocument(base);
  const bare = path
    .split("?")[0]!
    .replace(/^\/api\/v1\//, "/api/")
    .replace(/(.)\/$/, "$1");
  return templates.find((t) => t.pattern.test(bare))?.template ?? null;
}

type Checked = { status: number; headers: Headers; text: string };

// The problems with an answer, measured against the document; [] when it matches.
export async function undocumentedProblems(base: string, method: string, template: string, answer: Checked): Promise<string[]> {
  const { doc, ajv } = await loadDocument(base);
  const m = method.toLowerCase();
  const op = doc.paths[template]?.[m];
  if (!op) return [`${method} ${template} is not in the document`];
  const status = String(answer.status);
  const response = op.responses[status] ?? (answer.status >= 500 ? op.responses.default : undefined);
  if (!response) return [`${method} ${template}: status ${status} is not documented (body ${answer.text.slice(0, 200)})`];
  const type = (answer.headers.get("content-type") ?? "").split(";")[0]!.trim();
  if (!response.content) return type === "" || answer.text === "" ? [] : [`${method} ${template} ${status}: documented without a body, got ${type}`];
  if (!(type in response.content))
    return [`${method} ${template} ${status}: content type ${type || "(none)"} is not one of ${Object.keys(response.content).join(", ")}`];
  if (type !== "application/json") return [];
  const key = Object.hasOwn(op.responses, status) ? status : "default";
  const validate = ajv.getSchema(`openapi#/${pointer("paths", template, m, "responses", key, "content", "application/json", "schema")}`);
  if (!validate) return [`${method} ${template} ${status}: no schema`];
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`${method} ${template} ${status}: not JSON`];
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${method} ${template} ${status}: ${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`);
}

// Throws, naming what differs, unless the answer is what the document says.
export async function expectDocumented(base: string, method: string, path: string, answer: Checked): Promise<void> {
  const template = (await documentedTemplate(base, path)) ?? path;
  const problems = await undocumentedProblems(base, method, template, answer);
  if (problems.length > 0) throw new Error(`Answer does not match the OpenAPI document:\n${problems.join("\n")}`);
}
