// The authorization matrix: every route under app/api is listed here with who
// may call each method, and is replayed as nobody, as bad tokens, as its owner
// and as another person. A route added without an entry fails this test.
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Answer, call, createUser, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";
import { forgeToken, unsignedToken } from "../support/tokens";

type Access = "public" | "user" | "object" | "admin";
type Entry = { methods: Partial<Record<Method, Access>>; note?: string };
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

// Routes that are not plain envelope APIs, with the reason they are exempt from the replay below.
const SPECIAL: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js's own endpoints (CSRF-token protected sign-in; covered in tests/api/auth.test.ts)",
  "/api/inngest": "Inngest's signed endpoint; 404 in embedded mode (checked below), signatures in tests/engines",
  "/api/[...slug]": "catch-all 404 for unknown API paths (checked below)",
};

const MATRIX: Record<string, Entry> = {
  "/api/register": { methods: { POST: "public" } },
  "/api/token": { methods: { POST: "public" } },
  "/api/token/refresh": { methods: { POST: "public" } },
  "/api/token/revoke": { methods: { POST: "public" } },
  "/api/health/live": { methods: { GET: "public" } },
  "/api/health/ready": { methods: { GET: "public" } },
  "/api/generate-image": { methods: { POST: "user" } },
  "/api/jobs": { methods: { GET: "user" } },
  "/api/jobs/[id]": { methods: { GET: "object", DELETE: "object" } },
  "/api/image-status/[id]": { methods: { GET: "object" } },
  "/api/retry-job/[id]": { methods: { POST: "object" } },
  "/api/images/[id]": { methods: { GET: "object" } },
  "/api/images/[id]/thumbnail": { methods: { GET: "object" } },
  "/api/account": { methods: { GET: "user", DELETE: "user" } },
  "/api/account/export": { methods: { GET: "user" } },
  "/api/account/activity": { methods: { GET: "user" } },
  "/api/account/sessions/revoke": { methods: { POST: "user" } },
  "/api/admin/users": { methods: { GET: "admin" } },
  "/api/admin/users/[id]/disable": { methods: { POST: "admin" } },
};

const apiRoot = path.resolve(import.meta.dirname, "../../app/api");

function discoverRoutes(dir = apiRoot): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...discoverRoutes(full));
    else if (name === "route.ts") found.push(`/api${path.dirname(full).slice(apiRoot.length).split(path.sep).join("/")}`.replace(/\/$/, ""));
  }
  return found.sort();
}

function exportedMethods(route: string): Method[] {
  const source = readFileSync(path.join(apiRoot, route.slice("/api".length), "route.ts"), "utf8");
  const names = new Set<string>();
  for (const m of source.matchAll(/export (?:const|(?:async )?function) (\w+)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export const \{([^}]+)\}\s*=/g)) for (const n of m[1]!.split(",")) names.add(n.trim());
  for (const m of source.matchAll(/export \{([^}]+)\}/g))
    for (const n of m[1]!.split(","))
      names.add(
        n
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      );
  return METHODS.filter((method) => names.has(method));
}

describe("every route is in the matrix", () => {
  it("lists each route.ts under app/api, and nothing that does not exist", () => {
    expect(discoverRoutes()).toEqual([...Object.keys(MATRIX), ...Object.keys(SPECIAL)].sort());
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
const bobObjects: { done?: any; failed?: any } = {};

const badTokens: Record<string, () => Promise<string>> = {
  expired: async () => forgeToken({ sub: ada.id, iatSeconds: Math.floor(Date.now() / 1000) - 1200, expSeconds: Math.floor(Date.now() / 1000) - 600 }),
  "alg none": async () => unsignedToken(ada.id),
  "wrong key": async () => forgeToken({ sub: ada.id, secret: "not-the-server-key-but-long-enough-to-sign" }),
  "wrong audience": async () => forgeToken({ sub: ada.id, aud: "elsewhere" }),
  "refresh token": async () => ada.refreshToken,
  garbage: async () => "garbage",
};

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-matrix"), createUser("bob-matrix")]);
  [adaCookie, bobCookie] = await Promise.all([sessionCookie(ada), sessionCookie(bob)]);
  bobObjects.done = await waitForStatus(bob, (await generate(bob, "bob matrix done")).job_id, ["completed"]);
  bobObjects.failed = await waitForStatus(bob, (await generate(bob, "bob matrix failed [[fail]]")).job_id, ["failed"]);
});
afterAll(closeSql);

async function bobSnapshot() {
  const rows = await sql()`select id, status, attempts, error, prompt, image_key, updated_at from image_jobs where user_id = ${bob.id} order by id`;
  const dir = path.join(inject("dataDir"), "files", "users", bob.id, "jobs");
  const files = existsSync(dir) ? readdirSync(dir).flatMap((job) => readdirSync(path.join(dir, job)).map((f) => `${job}/${f}`)) : [];
  const [user] = await sql()`select tokens_valid_after, disabled_at from users where id = ${bob.id}`;
  return { rows, files: files.sort(), user };
}

const fill = (route: string, id: string) => route.replace("[id]", id);
const bodyFor = (route: string) => (route === "/api/generate-image" ? { prompt: "matrix" } : route === "/api/account" ? { password: "not the password" } : {});
const fingerprint = (res: Answer) => ({ status: res.status, headers: [...res.headers.entries()].filter(([k]) => k !== "date"), body: res.text });

describe("replayed as nobody and as bad tokens", () => {
  const protectedCalls = Object.entries(MATRIX).flatMap(([route, entry]) =>
    Object.entries(entry.methods)
      .filter(([, access]) => access !== "public")
      .map(([method]) => ({ route, method })),
  );

  it.each(protectedCalls)("$method $route answers 401 before any lookup", async ({ route, method }) => {
    const target = fill(route, bobObjects.done.job_id);
    const json = method === "GET" ? undefined : bodyFor(route);
    const variants: Record<string, string>[] = [{}, { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" }];
    for (const headers of variants) {
      const res = await call(target, { method, headers, json });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.text).toBe('{"meta":{"code":0,"message":"Authentication required"},"data":null}');
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
      .map(([method]) => ({ route, method })),
  );

  it.each(objectCalls)("$method $route: someone else's object is indistinguishable from a missing or malformed one", async ({ route, method }) => {
    const before = await bobSnapshot();
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      for (const target of [bobObjects.done.job_id, bobObjects.failed.job_id]) {
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

  it.each(objectCalls)("$method $route works for the owner, by bearer and by cookie", async ({ route, method }) => {
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      const prompt = route.startsWith("/api/retry-job") ? "owner retry [[fail]]" : "owner call";
      const job = await waitForStatus(ada, (await generate(ada, prompt)).job_id, ["completed", "failed"]);
      const res = await call(fill(route, job.job_id), { method, ...auth });
      expect(res.status, JSON.stringify(auth)).toBe(method === "POST" ? 202 : 200);
    }
  });

  it("lists, exports and reports only the caller's own data", async () => {
    for (const path of ["/api/jobs?limit=100", "/api/account/activity?limit=100", "/api/account"]) {
      const res = await call(path, { token: ada.token });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(bob.id);
      expect(res.text).not.toContain(bobObjects.done.job_id);
      expect(res.text).not.toContain("bob matrix");
    }
    const injected = await call(`/api/jobs?user_id=${bob.id}&userId=${bob.id}`, { token: ada.token, headers: { "x-user-id": bob.id } });
    expect(injected.text).not.toContain(bobObjects.done.job_id);
  });

  it("answers admin routes with 403 to a valid non-admin, and changes nothing", async () => {
    const before = await bobSnapshot();
    for (const auth of [{ token: ada.token }, { cookie: adaCookie }]) {
      expect((await call("/api/admin/users", auth)).status).toBe(403);
      expect((await call(`/api/admin/users/${bob.id}/disable`, { method: "POST", ...auth })).status).toBe(403);
    }
    expect(await bobSnapshot()).toEqual(before);
  });
});

describe("the seed's aliases and the special routes", () => {
  it("answers /api/v1/... exactly like the route for every identity", async () => {
    const aliases: [string, string, string][] = [
      ["GET", `/api/v1/image-status/${bobObjects.done.job_id}/`, `/api/image-status/${bobObjects.done.job_id}`],
      ["GET", "/api/v1/jobs/", "/api/jobs"],
      ["POST", `/api/v1/retry-job/${bobObjects.done.job_id}/`, `/api/retry-job/${bobObjects.done.job_id}`],
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

  it("keeps the Inngest endpoint and unknown API paths closed in embedded mode", async () => {
    for (const method of ["GET", "POST", "PUT"]) expect((await call("/api/inngest", { method, token: ada.token })).status).toBe(404);
    expect((await call(`/api/jobs/${bobObjects.done.job_id}/secret`, { token: ada.token })).status).toBe(404);
  });
});
