// RFC 8725 in practice: every malformed, forged, stale or misplaced credential
// is the same 401, and revocation takes effect at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createUser, failure, sessionCookie, type TestUser } from "../support/api";
import { closeSql, sql } from "../support/db";
import { forgeToken, serverSecrets, unsignedToken } from "../support/tokens";

let ada: TestUser;
beforeAll(async () => {
  ada = await createUser("ada-tokens");
});
afterAll(closeSql);

const now = () => Math.floor(Date.now() / 1000);

describe("bad access tokens", () => {
  const cases: [string, () => Promise<string>][] = [
    ["expired", () => forgeToken({ sub: ada.id, iatSeconds: now() - 1000, expSeconds: now() - 100 })],
    ["not yet valid (nbf in the future)", () => forgeToken({ sub: ada.id, nbfSeconds: now() + 600 })],
    ["issued in the future", () => forgeToken({ sub: ada.id, iatSeconds: now() + 600, expSeconds: now() + 1200 })],
    ["alg none", async () => unsignedToken(ada.id)],
    ["signed with a wrong key", () => forgeToken({ sub: ada.id, secret: "a-completely-different-key-of-enough-length!" })],
    [
      "signed with a wrong key under the right kid",
      async () =>
        forgeToken({
          sub: ada.id,
          secret: "another-different-key-of-enough-length!!",
          kid: (await import("../support/tokens")).kidOf(serverSecrets().apiTokenSecret),
        }),
    ],
    ["wrong issuer", () => forgeToken({ sub: ada.id, iss: "someone-else" })],
    ["wrong audience", () => forgeToken({ sub: ada.id, aud: "another-api" })],
    ["wrong type", () => forgeToken({ sub: ada.id, typ: "JWT" })],
    ["no jti", () => forgeToken({ sub: ada.id, jti: null })],
    ["no issue time in ms", () => forgeToken({ sub: ada.id, iatMs: null })],
    ["a subject that is not a user id", () => forgeToken({ sub: "admin" })],
    ["a subject of nobody", () => forgeToken({ sub: "00000000-0000-4000-8000-000000000000" })],
    ["signed with the Auth.js secret", () => forgeToken({ sub: ada.id, secret: serverSecrets().authSecret })],
    ["HS512 with the right key", () => forgeToken({ sub: ada.id, alg: "HS512" })],
    ["lived longer than 15 minutes", () => forgeToken({ sub: ada.id, iatSeconds: now() - 3600, expSeconds: now() + 600 })],
  ];

  it.each(cases)("refuses a token that is %s", async (_label, make) => {
    const res = await call("/api/jobs", { token: await make() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(failure("Invalid or expired credentials"));
  });

  it("accepts a well-formed token made with the same key (the forger is sound)", async () => {
    const res = await call("/api/jobs", { token: await forgeToken({ sub: ada.id }) });
    expect(res.status).toBe(200);
  });

  it("refuses a valid token whose payload was edited", async () => {
    const bob = await createUser("bob-tamper");
    const [h, , s] = ada.token.split(".");
    const payload = JSON.parse(Buffer.from(ada.token.split(".")[1]!, "base64url").toString());
    const edited = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: bob.id })).toString("base64url")}.${s}`;
    expect((await call("/api/jobs", { token: edited })).status).toBe(401);
  });

  it("refuses a refresh token used as an access token", async () => {
    expect((await call("/api/jobs", { token: ada.refreshToken })).status).toBe(401);
  });

  it("refuses a session cookie that was tampered with, or moved to another cookie name", async () => {
    const cookie = await sessionCookie(ada);
    const value = cookie.split("=").slice(1).join("=");
    const flipped = value.slice(0, -6) + (value.at(-6) === "A" ? "B" : "A") + value.slice(-5);
    for (const forged of [`authjs.session-token=${flipped}`, `__Secure-authjs.session-token=${value}`, `authjs.session-token=${value}x`]) {
      const res = await call("/api/jobs", { cookie: forged });
      expect(res.status, forged.slice(0, 40)).toBe(401);
    }
    expect((await call("/api/jobs", { cookie })).status).toBe(200);
  });

  it("refuses an access token sent as the session cookie", async () => {
    const res = await call("/api/jobs", { cookie: `authjs.session-token=${ada.token}` });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(failure("Authentication required"));
  });

  it.each(["Bearer", "Bearer  ", "bearer x.y.z", "BEARER x.y.z", "Token x.y.z", "Bearer x.y.z extra", "🙂", "Bearer \u0000"])(
    "refuses the Authorization header %j",
    async (header) => {
      let res: Awaited<ReturnType<typeof call>>;
      try {
        res = await call("/api/jobs", { headers: { authorization: header } });
      } catch {
        return; // the HTTP client itself refuses headers that cannot be sent
      }
      expect(res.status).toBe(401);
    },
  );
});

describe("revocation", () => {
  // The server remembers tokens it has verified (lib/auth/tokens.ts); the
  // memory must end with the token: past `exp` and jose's 30 s clock
  // tolerance, a token used a moment before is refused like any expired one.
  it("forgets a remembered token when the token itself expires", { timeout: 60_000 }, async () => {
    const token = await forgeToken({ sub: ada.id, expSeconds: now() + 2 });
    for (let i = 0; i < 3; i++) expect((await call("/api/jobs?limit=5", { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 34_000));
    expect(await call("/api/jobs?limit=5", { token })).toMatchObject({ status: 401 });
    expect((await call("/api/jobs?limit=5", { token: ada.token })).status).toBe(200);
  });

  it("signs a person out everywhere: every session, access token and refresh token stops at once", async () => {
    const user = await createUser("everywhere");
    const cookie = await sessionCookie(user);
    const second = await call("/api/token", { json: { email: user.email, password: user.password } });
    expect((await call("/api/jobs", { cookie })).status).toBe(200);

    const res = await call("/api/account/sessions/revoke", { token: user.token, method: "POST" });
    expect(res.status).toBe(200);
    expect(res.json.meta.message).toBe("Signed out everywhere");

    expect((await call("/api/jobs", { token: user.token })).status).toBe(401);
    expect((await call("/api/jobs", { token: second.json.data.access_token })).status).toBe(401);
    expect((await call("/api/jobs", { cookie })).status).toBe(401);
    expect((await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } })).status).toBe(401);
    expect((await call("/api/token/refresh", { json: { refresh_token: second.json.data.refresh_token } })).status).toBe(401);

    // Signing in again afterwards works.
    const fresh = await call("/api/token", { json: { email: user.email, password: user.password } });
    expect(fresh.status).toBe(200);
    expect((await call("/api/jobs", { token: fresh.json.data.access_token })).status).toBe(200);
    expect((await call("/api/jobs", { cookie: await sessionCookie(user) })).status).toBe(200);
  });

  it("refuses every credential of a disabled account, and its sign-in", async () => {
    const user = await createUser("disabled");
    const cookie = await sessionCookie(user);
    await sql()`update users set disabled_at = now() where id = ${user.id}`;
    expect((await call("/api/jobs", { token: user.token })).status).toBe(401);
    expect((await call("/api/jobs", { cookie })).status).toBe(401);
    expect((await call("/api/token", { json: { email: user.email, password: user.password } })).status).toBe(401);
    expect((await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } })).status).toBe(401);
  });

  it("logs refresh-token reuse in the person's activity", async () => {
    const user = await createUser("reuse-log");
    await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    const fresh = await call("/api/token", { json: { email: user.email, password: user.password } });
    const activity = await call("/api/account/activity", { token: fresh.json.data.access_token });
    expect(activity.status).toBe(200);
    const events = activity.json.data.events.map((e: { event: string }) => e.event);
    expect(events).toContain("refresh_token_reuse");
    expect(events.filter((e: string) => e === "sign_in").length).toBe(2);
  });
});
