// Browser-side defences: cross-site requests riding on the session cookie are
// refused, and every answer carries the security headers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, createUser, failure, generate, sessionCookie, type TestUser, waitForStatus } from "../support/api";
import { closeSql, jobRow } from "../support/db";

let ada: TestUser;
let cookie: string;
beforeAll(async () => {
  ada = await createUser("ada-csrf");
  cookie = await sessionCookie(ada);
});
afterAll(closeSql);

describe("cross-site request forgery", () => {
  it("refuses a cookie-authenticated POST from another origin, and creates nothing", async () => {
    const before = (await call("/api/jobs?limit=100", { cookie })).json.data.jobs.length;
    for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }] as Record<string, string>[]) {
      const res = await call("/api/generate-image", { cookie, headers, json: { prompt: "forged" } });
      expect(res.status).toBe(403);
      expect(res.json).toEqual(failure("Cross-site request refused"));
    }
    expect((await call("/api/jobs?limit=100", { cookie })).json.data.jobs.length).toBe(before);
  });

  it("refuses cross-site retry, delete and sign-out-everywhere by cookie", async () => {
    const failed = await waitForStatus(ada, (await generate(ada, "csrf target [[fail]]")).job_id, ["failed"]);
    const evil = { origin: "https://evil.example" };
    expect((await call(`/api/retry-job/${failed.job_id}`, { cookie, method: "POST", headers: evil })).status).toBe(403);
    expect((await call(`/api/jobs/${failed.job_id}`, { cookie, method: "DELETE", headers: evil })).status).toBe(403);
    expect((await call("/api/account/sessions/revoke", { cookie, method: "POST", headers: evil })).status).toBe(403);
    expect((await jobRow(failed.job_id))!.status).toBe("failed");
    expect((await call("/api/jobs", { cookie })).status).toBe(200);
  });

  it("accepts the same request from our own origin", async () => {
    const origin = new URL(baseUrl()).origin;
    const res = await call("/api/generate-image", { cookie, headers: { origin, "sec-fetch-site": "same-origin" }, json: { prompt: "same origin" } });
    expect(res.status).toBe(202);
  });

  it("does not apply to bearer tokens, which a browser never attaches by itself", async () => {
    const res = await call("/api/generate-image", { token: ada.token, headers: { origin: "https://tool.example" }, json: { prompt: "api client" } });
    expect(res.status).toBe(202);
  });
});

describe("security headers", () => {
  it("sends a nonce-based CSP and the other headers on pages", async () => {
    const res = await fetch(`${baseUrl()}/login`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // Every inline script Next.js emits carries the nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const html = await res.text();
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("sends a locked-down CSP on API answers, errors included", async () => {
    for (const path of ["/api/jobs", "/api/health/live", "/api/does-not-exist"]) {
      const res = await fetch(`${baseUrl()}${path}`);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("ignores the x-middleware-subrequest header (no proxy bypass)", async () => {
    const res = await call("/api/jobs", { headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" } });
    expect(res.status).toBe(401);
    const page = await fetch(`${baseUrl()}/`, { redirect: "manual", headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" } });
    expect([302, 303, 307]).toContain(page.status);
    expect(page.headers.get("location")).toContain("/login");
  });

  it("never changes state on GET", async () => {
    const failed = await waitForStatus(ada, (await generate(ada, "get is safe [[fail]]")).job_id, ["failed"]);
    expect((await call(`/api/retry-job/${failed.job_id}`, { token: ada.token, method: "GET" })).status).toBe(405);
    expect((await call("/api/account/sessions/revoke", { token: ada.token, method: "GET" })).status).toBe(405);
    expect((await jobRow(failed.job_id))!.status).toBe("failed");
    expect((await call("/api/jobs", { token: ada.token })).status).toBe(200);
  });
});
