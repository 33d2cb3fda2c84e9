// The promise: nobody can see, fetch, retry, download, delete or even detect
// another person's jobs. Another person's job must be indistinguishable from
// one that does not exist — same status, body and headers.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, call, createUser, failure, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, jobRow } from "../support/db";

let ada: TestUser;
let bob: TestUser;
let adaDone: any;
let adaFailed: any;
let bobCookie: string;

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada"), createUser("bob")]);
  adaDone = await waitForStatus(ada, (await generate(ada, "ada's secret garden")).job_id, ["completed"]);
  adaFailed = await waitForStatus(ada, (await generate(ada, "ada's broken one [[fail]]")).job_id, ["failed"]);
  bobCookie = await sessionCookie(bob);
});
afterAll(closeSql);

// Everything but the Date header must match byte for byte.
function fingerprint(res: Answer) {
  const headers = [...res.headers.entries()].filter(([k]) => k !== "date");
  return { status: res.status, headers, body: res.text };
}

const objectRoutes = (id: string) => [
  { method: "GET", path: `/api/image-status/${id}` },
  { method: "GET", path: `/api/v1/image-status/${id}/` },
  { method: "GET", path: `/api/jobs/${id}` },
  { method: "GET", path: `/api/images/${id}` },
  { method: "GET", path: `/api/images/${id}?download=1` },
  { method: "GET", path: `/api/images/${id}/thumbnail` },
  { method: "GET", path: `/api/jobs/${id}/preview` },
  { method: "POST", path: `/api/retry-job/${id}` },
  { method: "POST", path: `/api/v1/retry-job/${id}/` },
  { method: "DELETE", path: `/api/jobs/${id}` },
];

describe("another person's job looks exactly like a missing one", () => {
  for (const credential of ["bearer", "cookie"] as const) {
    it(`for every object route, with ${credential} auth`, async () => {
      const auth = () => (credential === "bearer" ? { token: bob.token } : { cookie: bobCookie });
      for (const target of [adaDone.job_id, adaFailed.job_id]) {
        const routes = objectRoutes(target);
        const missing = objectRoutes(randomUUID());
        for (let i = 0; i < routes.length; i++) {
          const theirs = await call(routes[i]!.path, { method: routes[i]!.method, ...auth() });
          const none = await call(missing[i]!.path, { method: missing[i]!.method, ...auth() });
          expect(theirs.status, routes[i]!.path).toBe(404);
          expect(theirs.json).toEqual(failure("Job not found"));
          expect(fingerprint(theirs)).toEqual(fingerprint(none));
        }
      }
    });
  }

  it.each(["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", "%00", "..%2F..%2Fetc%2Fpasswd", "' or 1=1 --"])(
    "answers a malformed id %j with the same 404",
    async (id) => {
      const none = await call(`/api/image-status/${randomUUID()}`, { token: bob.token });
      const res = await call(`/api/image-status/${encodeURIComponent(id)}`, { token: bob.token });
      expect(res.status).toBe(404);
      expect(res.text).toBe(none.text);
      expect((await call(`/api/images/${encodeURIComponent(id)}`, { token: bob.token })).status).toBe(404);
    },
  );

  it("leaves the owner's job and files untouched after the other person's retry and delete", async () => {
    const before = await jobRow(adaFailed.job_id);
    await call(`/api/retry-job/${adaFailed.job_id}`, { token: bob.token, method: "POST" });
    await call(`/api/jobs/${adaFailed.job_id}`, { token: bob.token, method: "DELETE" });
    await call(`/api/jobs/${adaDone.job_id}`, { cookie: bobCookie, method: "DELETE" });
    expect(await jobRow(adaFailed.job_id)).toEqual(before);
    expect((await jobRow(adaDone.job_id))!.status).toBe("completed");
    const image = await call(adaDone.image_url, { token: ada.token });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
  });

  it("never lists another person's jobs, whatever the filter or cursor", async () => {
    const bobJob = await generate(bob, "bob's own");
    for (const query of ["", "?status=completed", "?status=failed", "?limit=100"]) {
      const res = await call(`/api/jobs${query}`, { token: bob.token });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(ada.id);
      expect(res.text).not.toContain(adaDone.job_id);
      expect(res.text).not.toContain("ada's");
    }
    // A cursor built from Ada's job still only walks Bob's own rows.
    const forged = Buffer.from(JSON.stringify([new Date(Date.now() + 60_000).toISOString(), adaDone.job_id])).toString("base64url");
    const res = await call(`/api/jobs?cursor=${forged}`, { token: bob.token });
    expect(res.status).toBe(200);
    expect(res.json.data.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([bobJob.job_id]);
  });

  it("gives each person their own job for the same Idempotency-Key", async () => {
    const key = randomUUID();
    const a = await call("/api/generate-image", { token: ada.token, headers: { "idempotency-key": key }, json: { prompt: "shared key" } });
    const b = await call("/api/generate-image", { token: bob.token, headers: { "idempotency-key": key }, json: { prompt: "shared key" } });
    expect(b.json.data.job_id).not.toBe(a.json.data.job_id);
    expect((await call(`/api/image-status/${a.json.data.job_id}`, { token: bob.token })).status).toBe(404);
  });
});

describe("no credentials, no answer", () => {
  const exact = '{"meta":{"code":0,"message":"Authentication required"},"data":null}';

  it("answers the seed's unauthenticated multipart POST with exactly its 401 body", async () => {
    const form = new FormData();
    form.append("prompt", "a cat");
    const res = await fetch(`${(await import("../support/api")).baseUrl()}/api/v1/generate-image/`, { method: "POST", body: form, redirect: "manual" });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(exact);
  });

  it("answers the seed's unauthenticated GET /api/v1/jobs/ likewise", async () => {
    const res = await call("/api/v1/jobs/");
    expect(res.status).toBe(401);
    expect(res.text).toBe(exact);
  });

  it("answers 401 before any lookup on every user route, existing id or not", async () => {
    for (const { method, path } of [
      ...objectRoutes(adaDone.job_id),
      ...objectRoutes(randomUUID()),
      { method: "GET", path: "/api/jobs" },
      { method: "POST", path: "/api/generate-image" },
    ]) {
      const res = await call(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.text).toBe(exact);
    }
  });

  it.each([
    [
      "a token signed with another key",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJkYXJrcm9vbSIsImF1ZCI6ImRhcmtyb29tLWFwaSIsInN1YiI6IjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMCIsImp0aSI6IngiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJlLWZyb20tYW5vdGhlci1rZXktLS0tLS0tLS0",
    ],
    ["an unsigned token", "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDAifQ."],
  ])("answers 401 to %s", async (_label, token) => {
    const res = await call(`/api/image-status/${adaDone.job_id}`, { token });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(failure("Invalid or expired credentials"));
  });

  it("answers 401 to a token whose payload was tampered with to name another user", async () => {
    const [h, p, s] = bob.token.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    payload.sub = ada.id;
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    const res = await call(`/api/image-status/${adaDone.job_id}`, { token: tampered });
    expect(res.status).toBe(401);
  });
});
