// The authorization matrix: every route under app/api and app/v1 (the
// OpenAI-compatible gateway, which answers in OpenAI's error shape) is listed here with who
// may call each method, and is replayed as nobody, as bad tokens, as its owner
// and as another person. A route added without an entry fails this test, and
// so does a route with an [id] whose resource has no fixture (matrix/fixtures.ts):
// the other-person replay uses that resource's own objects, never a job's id.
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, call, createUser, sessionCookie, type TestUser } from "../support/api";
import { closeSql } from "../support/db";
import { forgeToken, unsignedToken } from "../support/tokens";
import { FIXTURES, isResource, type ResourceName, snapshotAll } from "./matrix/fixtures";
import { discoverRoutes, exportedMethods, hasObjectSegment, METHODS, type Method, routesOutsideApiRoots } from "./matrix/routes";

type Access = "public" | "user" | "object" | "admin";
// `resource`: what the route's [id] is; `ownerState`: which of its fixture's states the owner's call needs.
// `owner`: what the owner's own call sends and gets back, for routes that need a body.
type Entry = {
  methods: Partial<Record<Method, Access>>;
  resource?: ResourceName;
  ownerState?: string;
  owner?: { json: (person: TestUser) => Promise<unknown>; status: number };
  note?: string;
};

// Routes that are not plain envelope APIs, with the reason they are exempt from the replay below.
const SPECIAL: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js's own endpoints (CSRF-token protected sign-in; covered in tests/api/auth.test.ts)",
  "/api/inngest": "Inngest's signed endpoint; 404 in embedded mode (checked below), signatures in tests/engines",
  "/api/[...slug]": "catch-all 404 for unknown API paths (checked below)",
  "/v1/[...slug]": "catch-all 404 in OpenAI's shape for unknown /v1 paths (checked below)",
  "/v1/images/links/[token]":
    "a signed image link is its own credential (no Authorization is read): forged, tampered, expired and revoked links answer like a missing image (checked below; tests/api/openai-gateway.test.ts)",
};

const MATRIX: Record<string, Entry> = {
  "/api/register": { methods: { POST: "public" } },
  "/api/token": { methods: { POST: "public" } },
  "/api/token/refresh": { methods: { POST: "public" } },
  "/api/token/revoke": { methods: { POST: "public" } },
  "/api/health/live": { methods: { GET: "public" } },
  "/api/health/ready": { methods: { GET: "public" } },
  "/api/openapi.json": { methods: { GET: "public" } },
  "/api/generate-image": { methods: { POST: "user" } },
  "/api/jobs": { methods: { GET: "user" } },
  "/api/models": { methods: { GET: "user" } },
  "/api/jobs/[id]": { methods: { GET: "object", DELETE: "object" }, resource: "job" },
  "/api/jobs/[id]/vary": { methods: { POST: "object" }, resource: "job" },
  "/api/jobs/[id]/preview": { methods: { GET: "object" }, resource: "preview" },
  "/api/events": { methods: { GET: "user" } },
  "/api/image-status/[id]": { methods: { GET: "object" }, resource: "job" },
  "/api/retry-job/[id]": { methods: { POST: "object" }, resource: "job", ownerState: "failed" },
  "/api/images/[id]": { methods: { GET: "object" }, resource: "image" },
  "/api/images/[id]/thumbnail": { methods: { GET: "object" }, resource: "image" },
  "/api/images/[id]/favourite": { methods: { PUT: "object", DELETE: "object" }, resource: "image" },
  "/api/collections": { methods: { GET: "user", POST: "user" } },
  "/api/collections/[id]": { methods: { GET: "object", PATCH: "object", DELETE: "object" }, resource: "collection" },
  "/api/collections/[id]/images": {
    methods: { POST: "object" },
    resource: "collection",
    owner: { json: async (person) => ({ image_id: await FIXTURES.image.create(person, "image") }), status: 201 },
  },
  "/api/collections/[id]/images/order": { methods: { PUT: "object" }, resource: "collection", owner: { json: async () => ({ image_ids: [] }), status: 200 } },
  "/api/collections/[id]/images/[image_id]": { methods: { DELETE: "object" }, resource: "collection_entry" },
  "/api/shares": { methods: { GET: "user", POST: "user" } },
  "/api/bulk/favourite": { methods: { POST: "user" } },
  "/api/bulk/collect": { methods: { POST: "user" } },
  "/api/bulk/delete": { methods: { POST: "user" } },
  "/api/bulk/download": { methods: { GET: "user", POST: "user" } },
  "/api/shares/[id]": { methods: { DELETE: "object" }, resource: "share" },
  "/api/account": { methods: { GET: "user", DELETE: "user" } },
  "/api/account/export": { methods: { GET: "user" } },
  "/api/account/activity": { methods: { GET: "user" } },
  "/api/account/sessions": { methods: { GET: "user" } },
  "/api/account/sessions/[id]": { methods: { DELETE: "object" }, resource: "session" },
  "/api/account/sessions/revoke": { methods: { POST: "user" } },
  "/api/account/keys": { methods: { GET: "user", POST: "user" } },
  "/api/account/keys/[id]": { methods: { DELETE: "object" }, resource: "api_key" },
  "/api/admin/backends": { methods: { GET: "admin" } },
  "/api/admin/users": { methods: { GET: "admin" } },
  "/api/admin/users/[id]/disable": { methods: { POST: "admin" }, resource: "account" },
  // The OpenAI-compatible gateway. A model id is the operator's catalog, not a person's object.
  "/v1/images/generations": { methods: { POST: "user" } },
  "/v1/models": { methods: { GET: "user" } },
  "/v1/models/[...model]": { methods: { GET: "user" } },
};

describe("every route is in the matrix", () => {
  it("lists each route.ts under app/api and app/v1, and nothing that does not exist", () => {
    expect(discoverRoutes()).toEqual([...Object.keys(MATRIX), ...Object.keys(SPECIAL)].sort());
  });

  it("finds no route handler elsewhere in app/ (a new API folder joins the matrix first)", () => {
    // Known, each covered elsewhere: the share links under app/s (public by secret
    // token, replayed in their own block below, SHARE_ROUTES) and the API reference
    // page under app/docs/api (public HTML and its script, no data: the document it
    // renders is /api/openapi.json, in the matrix). Any other route fails here.
    const REFERENCE_PAGE = ["/docs/api", "/docs/api/scalar.js"];
    expect(routesOutsideApiRoots()).toEqual([...REFERENCE_PAGE, ...SHARE_ROUTES].sort());
  });

  it("names, for every route with an [id], a resource that has a fixture", () => {
    const routes = Object.entries(MATRIX).filter(([route]) => hasObjectSegment(route));
    expect(routes.length).toBeGreaterThan(0);
    for (const [route, entry] of routes) {
      expect(isResource(entry.resource), `${route}: resource ${String(entry.resource)} has no fixture in tests/security/matrix/`).toBe(true);
      if (entry.ownerState) expect(FIXTURES[entry.resource!].states, route).toContain(entry.ownerState);
    }
    // And "object" access only makes sense for a route that addresses one object.
    for (const [route, entry] of Object.entries(MATRIX)) if (Object.values(entry.methods).includes("object")) expect(hasObjectSegment(route), route).toBe(true);
  });

  it("answers every method in each file: the listed ones, and 405 for the rest", () => {
    for (const [route, entry] of Object.entries(MATRIX)) {
      expect(exportedMethods(route), route).toEqual(METHODS);
      expect(Object.keys(entry.methods).length, route).toBeGreaterThan(0);
    }
  });

  it("has no server actions that escape the matrix", () => {
    // Server actions are public POST endpoints; each must authenticate itself.
    const actionsDir = path.resolve(import.meta.dirname, "../../app/_actions");
    if (!existsSync(actionsDir)) return;
    for (const file of readdirSync(actionsDir)) {
      const source = readFileSync(path.join(actionsDir, file), "utf8");
      if (!source.includes('"use server"')) continue;
      for (const m of source.matchAll(/export async function (\w+)\s*\(([^)]*)\)[^{]*\{([\s\S]*?)\n\}/g)) {
        const [, name, , body] = m;
        const publicAction = /^(signIn|signUp|register|login)/i.test(name!);
        if (!publicAction) expect(body, `${file}: ${name} must call sessionUser()`).toMatch(/sessionUser\(|requireUser\(/);
      }
    }
  });
});

let ada: TestUser;
let bob: TestUser;
let adaCookie: string;
let bobCookie: string;
// Bob's objects of every resource, by state: bobObjects.job.completed is a job id.
const bobObjects = {} as Record<ResourceName, Record<string, string>>;
const bobJob = () => bobObjects.job.completed!;

const badTokens: Record<string, () => Promise<string>> = {
  expired: async () => forgeToken({ sub: ada.id, iatSeconds: Math.floor(Date.now() / 1000) - 1200, expSeconds: Math.floor(Date.now() / 1000) - 600 }),
  "alg none": async () => unsignedToken(ada.id),
  "wrong key": async () => forgeToken({ sub: ada.id, secret: "not-the-server-key-but-long-enough-to-sign" }),
  "wrong audience": async () => forgeToken({ sub: ada.id, aud: "elsewhere" }),
  "refresh token": async () => ada.refreshToken,
  garbage: async () => "garbage",
  "forged API key": async () => `dk_${"0".repeat(12)}_${"A".repeat(43)}`,
};

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-matrix"), createUser("bob-matrix")]);
  [adaCookie, bobCookie] = await Promise.all([sessionCookie(ada), sessionCookie(bob)]);
  for (const [name, fixture] of Object.entries(FIXTURES) as [ResourceName, (typeof FIXTURES)[ResourceName]][]) {
    bobObjects[name] = {};
    for (const state of fixture.states) bobObjects[name][state] = await fixture.create(bob, state);
  }
});
afterAll(closeSql);

const bobSnapshot = () => snapshotAll(bob);

// A composite id ("<collection>+<image>") fills a route's [id] and then its [image_id].
const fill = (route: string, id: string) => {
  const [first, second = first] = id.split("+");
  return route.replace("[id]", first!).replace("[image_id]", second!).replace("[...model]", "local/sketch");
};
// Bob's object for a route's [id] (any of them: the call must fail before using it).
const bobTarget = (route: string) => {
  const resource = MATRIX[route]?.resource;
  return fill(route, resource ? Object.values(bobObjects[resource])[0]! : bobJob());
};
const bodyFor = (route: string) =>
  route === "/api/generate-image" || route === "/v1/images/generations"
    ? { prompt: "matrix" }
    : route === "/api/account"
      ? { password: "not the password" }
      : {};
// The gateway answers in OpenAI's shape, everything else in the envelope.
const UNAUTHENTICATED_BODY = (route: string) =>
  route.startsWith("/v1/")
    ? '{"error":{"message":"Authentication required","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}'
    : '{"meta":{"code":0,"message":"Authentication required"},"data":null}';
// proxy.ts gives every answer outside /api/ a fresh CSP nonce: random, so it tells nothing.
const fingerprint = (res: Answer) => ({
  status: res.status,
  headers: [...res.headers.entries()].filter(([k]) => k !== "date").map(([k, v]) => [k, v.replace(/'nonce-[^']+'/, "'nonce'")]),
  body: res.text,
});

describe("replayed as nobody and as bad tokens", () => {
  const protectedCalls = Object.entries(MATRIX).flatMap(([route, entry]) =>
    Object.entries(entry.methods)
      .filter(([, access]) => access !== "public")
      .map(([method]) => ({ route, method })),
  );

  it.each(protectedCalls)("$method $route answers 401 before any lookup", async ({ route, method }) => {
    const target = bobTarget(route);
    const json = method === "GET" ? undefined : bodyFor(route);
    const variants: Record<string, string>[] = [{}, { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" }];
    for (const headers of variants) {
      const res = await call(target, { method, headers, json });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.text).toBe(UNAUTHENTICATED_BODY(route));
    }
    for (const [label, make] of Object.entries(badTokens)) {
      const res = await call(target, { method, token: await make(), json, headers: { cookie: adaCookie } });
      expect(res.status, label).toBe(401);
    }
  });
});

describe("replayed as another person", () => {
  const objectCalls = Object.entries(MATRIX).flatMap(([route, entry]) =>
    Object.entries(entry.methods)
      .filter(([, access]) => access === "object")
      .map(([method]) => ({ route, method, resource: entry.resource!, ownerState: entry.ownerState, owner: entry.owner })),
  );

  it.each(objectCalls)("$method $route: someone else's object is indistinguishable from a missing or malformed one", async ({ route, method, resource }) => {
    const before = await bobSnapshot();
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      // One of bob's objects of this route's own resource in each state the fixture covers.
      for (const target of Object.values(bobObjects[resource])) {
        const theirs = await call(fill(route, target), { method, ...auth });
        const missing = await call(fill(route, randomUUID()), { method, ...auth });
        const malformed = await call(fill(route, "not-a-job-id"), { method, ...auth });
        expect(theirs.status).toBe(404);
        expect(fingerprint(theirs)).toEqual(fingerprint(missing));
        expect(fingerprint(theirs)).toEqual(fingerprint(malformed));
        // Same again with the caller trying to pass as the owner.
        const injected = await call(`${fill(route, target)}?user_id=${bob.id}&userId=${bob.id}`, {
          method,
          ...auth,
          headers: { "x-user-id": bob.id, "x-middleware-subrequest": "middleware" },
          ...(method === "GET" ? {} : { json: { user_id: bob.id, userId: bob.id } }),
        });
        expect(injected.status).toBe(404);
      }
    }
    expect(await bobSnapshot()).toEqual(before);
  });

  it.each(objectCalls)("$method $route works for the owner, by bearer and by cookie", async ({ route, method, resource, ownerState, owner }) => {
    const fixture = FIXTURES[resource];
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      const id = await fixture.create(ada, ownerState ?? fixture.states[0]);
      const res = await call(fill(route, id), { method, ...auth, ...(owner ? { json: await owner.json(ada) } : {}) });
      expect(res.status, JSON.stringify(auth)).toBe(owner?.status ?? (method === "POST" ? 202 : 200));
    }
  });

  it("lists, exports and reports only the caller's own data", async () => {
    for (const path of [
      "/api/jobs?limit=100",
      "/api/jobs?q=bob+matrix",
      "/api/collections",
      "/api/shares",
      "/api/account/activity?limit=100",
      "/api/account",
      "/v1/models",
    ]) {
      const res = await call(path, { token: ada.token });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(bob.id);
      expect(res.text).not.toContain(bobJob());
      expect(res.text).not.toContain("bob matrix");
    }
    const injected = await call(`/api/jobs?user_id=${bob.id}&userId=${bob.id}`, { token: ada.token, headers: { "x-user-id": bob.id } });
    expect(injected.text).not.toContain(bobJob());
  });

  it("refuses bulk actions naming another person's jobs, whole, like missing ones, and changes nothing", async () => {
    const before = await bobSnapshot();
    const ownJob = await FIXTURES.job.create(ada, "completed");
    const collection = await FIXTURES.collection.create(ada, "empty");
    for (const route of ["/api/bulk/favourite", "/api/bulk/collect", "/api/bulk/delete", "/api/bulk/download"]) {
      for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
        const body = (ids: string[]) => ({ job_ids: ids, collection_id: collection, user_id: bob.id });
        const theirs = await call(route, { ...auth, json: body([ownJob, ...Object.values(bobObjects.job)]) });
        const missing = await call(route, { ...auth, json: body([ownJob, randomUUID()]) });
        expect(theirs.status, route).toBe(404);
        expect(fingerprint(theirs)).toEqual(fingerprint(missing));
        if (route === "/api/bulk/download") {
          const byLink = await call(`${route}?job_ids=${[ownJob, ...Object.values(bobObjects.job)].join(",")}`, auth);
          expect(fingerprint(byLink)).toEqual(fingerprint(missing));
        }
      }
    }
    expect(await bobSnapshot()).toEqual(before);
    expect((await call(`/api/jobs/${ownJob}`, { token: ada.token })).status).toBe(200);
  });

  it("answers admin routes with 403 to a valid non-admin, and changes nothing", async () => {
    const before = await bobSnapshot();
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      expect((await call("/api/admin/users", auth)).status).toBe(403);
      expect((await call("/api/admin/backends", auth)).status).toBe(403);
      expect((await call(`/api/admin/users/${bob.id}/disable`, { method: "POST", ...auth })).status).toBe(403);
    }
    expect(await bobSnapshot()).toEqual(before);
  });
});

describe("the seed's aliases and the special routes", () => {
  it("answers /api/v1/... exactly like the route for every identity", async () => {
    const aliases: [string, string, string][] = [
      ["GET", `/api/v1/image-status/${bobJob()}/`, `/api/image-status/${bobJob()}`],
      ["GET", "/api/v1/jobs/", "/api/jobs"],
      ["POST", `/api/v1/retry-job/${bobJob()}/`, `/api/retry-job/${bobJob()}`],
    ];
    for (const auth of [{}, { token: ada.token }, { token: bob.token }, { cookie: bobCookie }, { token: "garbage" }]) {
      for (const [method, alias, canonical] of aliases) {
        const a = await call(alias, { method, ...auth });
        const b = await call(canonical, { method, ...auth });
        expect(a.status, alias).toBe(b.status);
        expect(a.text).toBe(b.text);
      }
    }
  });

  it("answers a forged or tampered image link like a missing image, for every identity", async () => {
    const made = await call("/v1/images/generations", { token: bob.token, json: { prompt: "bob matrix link", response_format: "url" } });
    expect(made.status).toBe(200);
    const link = new URL(made.json.data[0].url).pathname;
    expect((await call(link)).status).toBe(200);
    const token = link
      .split("/")
      .pop()!
      .replace(/\.\w+$/, "");
    const tampered = `/v1/images/links/${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}.png`;
    const forged = `/v1/images/links/${Buffer.alloc(75).toString("base64url")}.png`;
    const expected = fingerprint(await call(forged));
    expect(expected.status).toBe(404);
    for (const auth of [{}, { token: ada.token }, { token: bob.token }, { cookie: bobCookie }, { token: "garbage" }]) {
      for (const target of [tampered, forged, "/v1/images/links/not-a-link"]) expect(fingerprint(await call(target, auth)), target).toEqual(expected);
    }
  });

  it("keeps the Inngest endpoint and unknown API paths closed in embedded mode", async () => {
    for (const method of ["GET", "POST", "PUT"]) expect((await call("/api/inngest", { method, token: ada.token })).status).toBe(404);
    expect((await call(`/api/jobs/${bobJob()}/secret`, { token: ada.token })).status).toBe(404);
    for (const method of ["GET", "POST"]) {
      const res = await call("/v1/images/edits", { method, token: ada.token });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: { message: `Invalid URL (${method} /v1/images/edits)`, type: "invalid_request_error", param: null, code: null } });
    }
  });
});

// Share links live outside /api: anonymous by design, addressed by a secret
// token instead of an owner-checked id. Every route under app/s is listed here
// and replayed as nobody, as another signed-in person and as bad tokens: a
// live link shows the same thing to everyone, and a wrong one is the same 404
// whoever asks.
const SHARE_ROUTES = ["/s/[token]", "/s/[token]/image/[n]", "/s/[token]/thumbnail/[n]"];

describe("share links (public, by token)", () => {
  const shareRoot = path.resolve(import.meta.dirname, "../../app/s");
  const discoverShareRoutes = (dir = shareRoot): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? discoverShareRoutes(path.join(dir, e.name))
        : e.name === "route.ts"
          ? [`/s${dir.slice(shareRoot.length).split(path.sep).join("/")}`]
          : [],
    );
  const norm = fingerprint;

  it("lists each route.ts under app/s", () => {
    expect(discoverShareRoutes().sort()).toEqual([...SHARE_ROUTES].sort());
    for (const route of SHARE_ROUTES) {
      const source = readFileSync(path.join(shareRoot, route.slice(3), "route.ts"), "utf8");
      expect(source, route).toMatch(/export const \{ POST, PUT, PATCH, DELETE \} = methodNotAllowed\("GET"\)/);
    }
  });

  it.each(SHARE_ROUTES)("GET %s: the same answer for everyone on a live link, one 404 for every wrong one", async (route) => {
    const before = await bobSnapshot();
    const imageId = Object.values(bobObjects.image)[0]!;
    const created = await call("/api/shares", { token: bob.token, json: { image_id: imageId } });
    const token = new URL(created.json.data.url).pathname.slice(3);
    const at = (t: string) => route.replace("[token]", t).replace("[n]", "0");
    const live = [await call(at(token)), await call(at(token), { token: ada.token }), await call(at(token), { cookie: adaCookie })];
    for (const res of live) expect(res.status).toBe(200);
    expect(live[1]!.bytes.equals(live[0]!.bytes) || route === "/s/[token]").toBe(true);
    expect(live[1]!.text).toBe(live[0]!.text);
    const unknown = await call(at("A".repeat(43)));
    expect(unknown.status).toBe(404);
    for (const wrong of ["A".repeat(43), "not-a-token", `${token.slice(0, -1)}x`]) {
      for (const auth of [{}, { token: ada.token }, { cookie: adaCookie }, { token: "garbage" }])
        expect(norm(await call(at(wrong), auth))).toEqual(norm(unknown));
    }
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) expect((await call(at(token), { method, token: ada.token })).status).toBe(405);
    expect((await call(`/api/shares/${created.json.data.share_id}`, { method: "DELETE", token: bob.token })).status).toBe(200);
    expect(norm(await call(at(token)))).toEqual(norm(unknown));
    expect(await bobSnapshot()).toEqual(before);
  });
});
