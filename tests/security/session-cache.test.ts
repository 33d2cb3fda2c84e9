// The server keeps decoded session cookies in memory (lib/auth/require-user.ts)
// so a browser's cookie is decrypted once, not on every request. That cache
// must never keep a session working: every request still reads the session
// row and the account, so signing out (one browser or everywhere) and
// disabling an account refuse the very next request with the old cookie, and
// a cached cookie stops working when the cookie itself expires.
import { decode, encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { call, createUser, generate, sessionCookie } from "../support/api";
import { closeSql, sql } from "../support/db";
import { serverSecrets } from "../support/tokens";

afterAll(closeSql);

const COOKIE = "authjs.session-token";

// Several reads with the same cookie, so the server has decoded and cached it.
async function warm(cookie: string, jobId: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    expect((await call("/api/jobs?limit=5", { cookie })).status).toBe(200);
    expect((await call(`/api/image-status/${jobId}`, { cookie })).status).toBe(200);
  }
}

async function refusedEverywhere(cookie: string, jobId: string): Promise<void> {
  expect((await call("/api/jobs?limit=5", { cookie })).status).toBe(401);
  expect((await call(`/api/image-status/${jobId}`, { cookie })).status).toBe(401);
  expect((await call("/api/account", { cookie })).status).toBe(401);
  // Pages read the same cache: the gallery sends a signed-out browser to the sign-in page.
  const page = await call("/gallery", { cookie });
  expect(page.status).not.toBe(200);
}

describe("a decoded session is remembered, its validity never", () => {
  it("refuses the old cookie on the very next request after sign out everywhere", async () => {
    const user = await createUser("cache-everywhere");
    const cookie = await sessionCookie(user);
    const job = await generate(user);
    await warm(cookie, job.job_id);
    expect((await call("/api/account/sessions/revoke", { token: user.token, method: "POST" })).status).toBe(200);
    await refusedEverywhere(cookie, job.job_id);
  });

  it("refuses the old cookie on the very next request after that browser is signed out", async () => {
    const user = await createUser("cache-one");
    const cookie = await sessionCookie(user);
    const other = await sessionCookie(user);
    const job = await generate(user);
    await warm(cookie, job.job_id);
    const sessions = await call("/api/account/sessions", { cookie: other });
    const target = sessions.json.data.sessions.find((s: { current: boolean }) => !s.current);
    expect(target).toBeDefined();
    expect((await call(`/api/account/sessions/${target.id}`, { cookie: other, method: "DELETE" })).status).toBe(200);
    await refusedEverywhere(cookie, job.job_id);
    expect((await call("/api/jobs?limit=5", { cookie: other })).status).toBe(200);
  });

  it("refuses the old cookie on the very next request after the account is disabled", async () => {
    const user = await createUser("cache-disabled");
    const cookie = await sessionCookie(user);
    const job = await generate(user);
    await warm(cookie, job.job_id);
    await sql()`update users set disabled_at = now() where id = ${user.id}`;
    await refusedEverywhere(cookie, job.job_id);
  });

  it("forgets a cached cookie when the cookie itself expires", { timeout: 45_000 }, async () => {
    const user = await createUser("cache-expiry");
    const real = (await sessionCookie(user)).split("=").slice(1).join("=");
    const { authSecret } = serverSecrets();
    const payload = await decode({ token: real, secret: authSecret, salt: COOKIE });
    // The same session, in a cookie that expires in 2 seconds.
    const short = await encode({ token: { uid: payload!.uid, sid: payload!.sid, iat_ms: payload!.iat_ms }, secret: authSecret, salt: COOKIE, maxAge: 2 });
    const cookie = `${COOKIE}=${short}`;
    const job = await generate(user);
    await warm(cookie, job.job_id);
    // Auth.js itself accepts a cookie up to 15 s after its expiry (clock tolerance); past that, it is refused.
    await new Promise((resolve) => setTimeout(resolve, 18_500));
    expect((await call("/api/jobs?limit=5", { cookie })).status).toBe(401);
    // The session row is untouched: the real cookie still works.
    expect((await call("/api/jobs?limit=5", { cookie: `${COOKIE}=${real}` })).status).toBe(200);
  });
});

// Access tokens are verified once per process too (lib/auth/tokens.ts): the
// same rules, for a bearer that has already been used many times.
describe("a verified access token is remembered, its validity never", () => {
  async function warmBearer(token: string, jobId: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      expect((await call("/api/jobs?limit=5", { token })).status).toBe(200);
      expect((await call(`/api/image-status/${jobId}`, { token })).status).toBe(200);
      expect((await call("/api/account", { token })).status).toBe(200);
    }
  }
  async function bearerRefused(token: string, jobId: string): Promise<void> {
    expect((await call("/api/jobs?limit=5", { token })).status).toBe(401);
    expect((await call(`/api/image-status/${jobId}`, { token })).status).toBe(401);
    expect((await call("/api/account", { token })).status).toBe(401);
  }

  it("refuses the old token on the very next request after sign out everywhere", async () => {
    const user = await createUser("token-cache-everywhere");
    const job = await generate(user);
    await warmBearer(user.token, job.job_id);
    const cookie = await sessionCookie(user);
    expect((await call("/api/account/sessions/revoke", { cookie, method: "POST" })).status).toBe(200);
    await bearerRefused(user.token, job.job_id);
  });

  it("refuses the old token on the very next request after the account is disabled", async () => {
    const user = await createUser("token-cache-disabled");
    const job = await generate(user);
    await warmBearer(user.token, job.job_id);
    await sql()`update users set disabled_at = now() where id = ${user.id}`;
    await bearerRefused(user.token, job.job_id);
  });

  it("refuses the old token on the very next request after the account is deleted", async () => {
    const user = await createUser("token-cache-deleted");
    const job = await generate(user);
    await warmBearer(user.token, job.job_id);
    await sql()`delete from users where id = ${user.id}`;
    await bearerRefused(user.token, job.job_id);
  });
});

// The hot reads (status, job, list) send the account check with the read itself
// (lib/auth/require-user.ts `requireReader`): a signed-out credential must still
// get its 401 first, even for a request that would otherwise be a 400 or a 404.
describe("the account check that travels with a read", () => {
  it("answers 401, not 400 or 404, to a signed-out credential whatever else is wrong", async () => {
    const user = await createUser("reader-revoked");
    const cookie = await sessionCookie(user);
    const job = await generate(user);
    await warm(cookie, job.job_id);
    expect((await call("/api/account/sessions/revoke", { token: user.token, method: "POST" })).status).toBe(200);
    for (const credential of [{ token: user.token }, { cookie }]) {
      for (const path of [
        `/api/image-status/${job.job_id}`,
        "/api/image-status/not-a-job-id",
        `/api/jobs/${job.job_id}`,
        "/api/jobs/not-a-job-id",
        "/api/jobs?limit=20",
        "/api/jobs?limit=9999",
        "/api/jobs?cursor=not-a-cursor",
        "/api/v1/image-status/not-a-job-id/",
      ]) {
        const res = await call(path, credential);
        expect(res.status, `${path} ${Object.keys(credential)[0]}`).toBe(401);
        expect(res.json.data).toBeNull();
      }
    }
  });

  it("still answers 400 and 404 to a signed-in caller", async () => {
    const user = await createUser("reader-live");
    expect((await call("/api/image-status/not-a-job-id", { token: user.token })).status).toBe(404);
    expect((await call("/api/jobs?cursor=not-a-cursor", { token: user.token })).status).toBe(400);
    expect((await call("/api/jobs?limit=9999", { token: user.token })).status).toBe(400);
  });
});
