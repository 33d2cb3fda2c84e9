// The OpenAPI document (GET /api/openapi.json) is complete, valid, and true:
// every route and method in app/ is in it and nothing else is; a maintained
// OpenAPI 3.1 validator accepts it; and real answers match it (call() checks
// every answer of every API test; the calls below make sure the main
// operations and each error status are among them).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, createUser, generate, type TestUser, waitForStatus } from "../support/api";
import { expectDocumented, undocumentedProblems } from "../support/openapi";

const appRoot = path.resolve(import.meta.dirname, "../../app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

// Route files that are not part of the JSON API, with the reason.
const NOT_DOCUMENTED: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js's own endpoints (browser sign-in); documented as the sessionCookie security scheme",
  "/api/inngest": "Inngest's signed serve endpoint (404 in embedded mode)",
  "/api/[...slug]": "catch-all: unknown API paths answer 404 in the envelope",
  "/v1/[...slug]": "catch-all: unknown gateway paths (OpenAI endpoints not offered, e.g. /v1/images/edits) answer 404 in OpenAI's error shape",
  // Share links' pages are for people, not API clients: an HTML page and its image
  // files, opened from a link that is its own credential (anonymous, by secret token).
  // They are made and revoked through the API (/api/shares, documented) and covered by
  // tests/api/shares.test.ts and the share block of tests/security/matrix.test.ts.
  "/s/[token]": "a share link's HTML page, for people (see above)",
  "/s/[token]/image/[n]": "a shared image file, shown on the share page",
  "/s/[token]/thumbnail/[n]": "a shared thumbnail, shown on the share page",
  "/docs/api": "the HTML reference page rendering this document",
  "/docs/api/scalar.js": "the reference page's script, served from node_modules",
};

function routeFiles(dir = appRoot): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

// "app/api/jobs/[id]/route.ts" → "/api/jobs/[id]" (route groups "(x)" are not in the URL).
const routeOf = (file: string) =>
  `/${path
    .relative(appRoot, path.dirname(file))
    .split(path.sep)
    .filter((s) => !/^\(.*\)$/.test(s))
    .join("/")}`;
// "[id]" → "{id}"; a catch-all "[...model]" is one parameter "{model}" that may hold slashes.
const toTemplate = (route: string) => route.replace(/\[(?:\.\.\.)?([^\].]+)\]/g, "{$1}");

// The methods a route file really implements: its exports, minus what methodNotAllowed()
// (or a variant such as the gateway's openaiMethodNotAllowed()) fills in (405).
function implementedMethods(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const exported = new Set<string>();
  const refused = new Set<string>();
  for (const m of source.matchAll(/export (?:const|(?:async )?function) (\w+)/g)) exported.add(m[1]!);
  for (const m of source.matchAll(/export const \{([^}]+)\}\s*=\s*(\w+)/g))
    for (const n of m[1]!.split(",")) (/methodNotAllowed$/i.test(m[2]!) ? refused : exported).add(n.trim());
  for (const m of source.matchAll(/export \{([^}]+)\}/g))
    for (const n of m[1]!.split(","))
      exported.add(
        n
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      );
  return METHODS.filter((method) => exported.has(method) && !refused.has(method));
}

let doc: { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;
beforeAll(async () => {
  const res = await call("/api/openapi.json");
  expect(res.status).toBe(200);
  doc = res.json;
});

describe("the OpenAPI document", () => {
  it("lists every route and method under app/, and nothing that does not exist", () => {
    const inCode = routeFiles()
      .map((file) => ({ route: routeOf(file), file }))
      .filter(({ route }) => !(route in NOT_DOCUMENTED))
      .flatMap(({ route, file }) => implementedMethods(file).map((m) => `${m} ${toTemplate(route)}`))
      .sort();
    const inDocument = Object.entries(doc.paths)
      .flatMap(([template, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${template}`))
      .sort();
    expect(inCode.length).toBeGreaterThan(30);
    expect(inDocument).toEqual(inCode);
    for (const route of Object.keys(NOT_DOCUMENTED)) expect(routeFiles().map(routeOf), `${route} is exempt but does not exist`).toContain(route);
  });

  it("is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)", async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("says for every path parameter which resource it names, and how to make one", () => {
    const resources = (doc["x-darkroom"] as { resources: Record<string, unknown> }).resources;
    for (const [template, ops] of Object.entries(doc.paths))
      for (const op of Object.values(ops) as { parameters: { in: string; name: string; "x-darkroom-resource"?: string }[] }[])
        for (const p of op.parameters.filter((p) => p.in === "path")) expect(resources, `${template} {${p.name}}`).toHaveProperty(p["x-darkroom-resource"]!);
  });

  it("documents the security schemes: session cookie, bearer access token, personal API key", () => {
    const schemes = (doc.components as { securitySchemes: Record<string, { type: string; scheme?: string; in?: string }> }).securitySchemes;
    expect(schemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie" });
    expect(schemes.accessToken).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(schemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("is served to anyone and holds nothing about any user", async () => {
    const res = await call("/api/openapi.json");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.text).not.toMatch(/@example\.com/);
  });
});

describe("real answers match the document", () => {
  let ada: TestUser;
  beforeAll(async () => {
    ada = await createUser("ada-openapi");
  });
  // call() already checks each answer; checking again here keeps these tests honest if that is ever switched off.
  const check = (method: string, route: string, res: { status: number; headers: Headers; text: string }) => expectDocumented(baseUrl(), method, route, res);

  it("for jobs: create, list, get, retry (409), vary, delete, and a missing one (404)", async () => {
    const job = await generate(ada);
    const done = await waitForStatus(ada, job.job_id, ["completed"]);
    expect(done.images.length).toBe(1);
    const answers: [string, string, number][] = [
      ["GET", "/api/jobs?limit=5", 200],
      ["GET", `/api/jobs/${job.job_id}`, 200],
      ["GET", `/api/image-status/${job.job_id}`, 200],
      ["POST", `/api/retry-job/${job.job_id}`, 409],
      ["POST", `/api/jobs/${job.job_id}/vary`, 202],
      ["GET", `/api/images/${done.images[0].image_id}`, 200],
      ["GET", `/api/images/${done.images[0].image_id}/thumbnail`, 200],
      ["PUT", `/api/images/${done.images[0].image_id}/favourite`, 200],
      ["DELETE", `/api/jobs/${job.job_id}`, 200],
      ["GET", `/api/jobs/${job.job_id}`, 404],
    ];
    for (const [method, route, status] of answers) {
      const res = await call(route, { method, token: ada.token });
      expect(res.status, `${method} ${route}`).toBe(status);
      await check(method, route, res);
    }
  });

  it("for models, account, keys and collections", async () => {
    const key = await call("/api/account/keys", { token: ada.token, json: { name: "openapi", scopes: ["read"] } });
    expect(key.status).toBe(201);
    const collection = await call("/api/collections", { token: ada.token, json: { name: "openapi" } });
    expect(collection.status).toBe(201);
    for (const route of [
      "/api/models",
      "/api/account",
      "/api/account/keys",
      "/api/account/sessions",
      "/api/account/activity",
      "/api/collections",
      `/api/collections/${collection.json.data.collection_id}`,
    ]) {
      const res = await call(route, { token: ada.token });
      expect(res.status, route).toBe(200);
      await check("GET", route, res);
    }
    const revoked = await call(`/api/account/keys/${key.json.data.id}`, { method: "DELETE", token: ada.token });
    expect(revoked.status).toBe(200);
  });

  it("and the check itself refuses what the document does not say", async () => {
    const job = await generate(ada);
    const real = await call(`/api/jobs/${job.job_id}`, { token: ada.token });
    const json = new Headers({ "content-type": "application/json" });
    const answer = (status: number, body: unknown, headers = json) => ({ status, headers, text: JSON.stringify(body) });
    const leaky = { ...real.json, data: { ...real.json.data, user_id: ada.id } };
    expect((await undocumentedProblems(baseUrl(), "GET", "/api/jobs/{id}", answer(200, leaky))).join("\n")).toMatch(/must NOT have additional properties/);
    expect(await undocumentedProblems(baseUrl(), "GET", "/api/jobs/{id}", answer(418, real.json))).toEqual([
      expect.stringMatching(/status 418 is not documented/),
    ]);
    expect(await undocumentedProblems(baseUrl(), "GET", "/api/models", answer(403, { meta: { code: 0, message: "x" }, data: null }))).toHaveLength(1);
    expect(await undocumentedProblems(baseUrl(), "GET", "/api/jobs/{id}", answer(200, real.json, new Headers({ "content-type": "text/html" })))).toHaveLength(
      1,
    );
    expect(await undocumentedProblems(baseUrl(), "GET", "/api/jobs/{id}", answer(404, { meta: { code: 1, message: "x" }, data: null }))).not.toEqual([]);
    expect(await undocumentedProblems(baseUrl(), "GET", "/api/jobs/{id}", answer(200, real.json))).toEqual([]);
  });

  it("for errors: 400, 401, 403, 404, 415", async () => {
    const key = await call("/api/account/keys", { token: ada.token, json: { name: "read only", scopes: ["read"] } });
    const cases: [string, string, Parameters<typeof call>[1], number][] = [
      ["POST", "/api/generate-image", { token: ada.token, json: { prompt: "" } }, 400],
      ["GET", "/api/jobs", {}, 401],
      ["GET", "/api/jobs", { token: "garbage" }, 401],
      ["POST", "/api/generate-image", { token: key.json.data.key, json: { prompt: "x" } }, 403],
      ["GET", "/api/account/keys", { token: key.json.data.key }, 403],
      ["GET", "/api/collections/00000000-0000-4000-8000-000000000000", { token: ada.token }, 404],
      ["POST", "/api/collections", { token: ada.token, body: "name=x", headers: { "content-type": "text/plain" } }, 415],
    ];
    for (const [method, route, options, status] of cases) {
      const res = await call(route, { method, ...options });
      expect(res.status, `${method} ${route}`).toBe(status);
      await check(method, route, res);
    }
  });

  it("for 429: sign-in throttling answers in the documented envelope with Retry-After", async () => {
    const victim = await createUser("openapi-throttled");
    let res = await call("/api/token", { json: { email: victim.email, password: "wrong" } });
    for (let i = 0; i < 40 && res.status !== 429; i++) res = await call("/api/token", { json: { email: victim.email, password: "wrong" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    await check("POST", "/api/token", res);
  });
});
