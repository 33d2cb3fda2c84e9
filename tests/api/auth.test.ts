// Accounts and tokens: registration, the password grant, refresh rotation,
// revocation, and which credential decides when several are sent.
import { afterAll, describe, expect, it } from "vitest";
import { call, createUser, failure, sessionCookie } from "../support/api";
import { closeSql, sql } from "../support/db";

afterAll(closeSql);

const unique = () => `u-${Math.random().toString(36).slice(2, 10)}@example.com`;

describe("registration", () => {
  it("creates an account from JSON and returns only public fields", async () => {
    const email = unique();
    const res = await call("/api/register", { json: { email, password: "long enough", name: "Ada", user_id: "x" } });
    expect(res.status).toBe(201);
    expect(res.json.meta).toEqual({ code: 1, message: "Account created" });
    expect(Object.keys(res.json.data.user).sort()).toEqual(["email", "id", "name"]);
    expect(res.json.data.user).toMatchObject({ email, name: "Ada" });
    const [row] = await sql()`select password_hash from users where id = ${res.json.data.user.id}`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("accepts urlencoded and multipart forms", async () => {
    expect((await call("/api/register", { form: { email: unique(), password: "long enough" } })).status).toBe(201);
    expect((await call("/api/register", { multipart: { email: unique(), password: "long enough" } })).status).toBe(201);
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const email = unique();
    await call("/api/register", { json: { email, password: "long enough" } });
    const res = await call("/api/register", { json: { email: email.toUpperCase(), password: "other password" } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(failure("An account with this email already exists"));
  });

  it.each([
    [{ email: "not-an-email", password: "long enough" }, "email"],
    [{ email: unique(), password: "short" }, "password"],
    [{ email: unique(), password: "x".repeat(129) }, "password"],
    [{ password: "long enough" }, "email"],
    [{ email: unique(), password: 12345678 }, "password"],
  ])("rejects a bad field with a 400 naming it (%j)", async (body, field) => {
    const res = await call("/api/register", { json: body });
    expect(res.status).toBe(400);
    expect(res.json.meta.code).toBe(0);
    expect(res.json.meta.message).toContain(`"${field}"`);
    expect(res.json.data).toBeNull();
  });

  it("accepts a password of exactly 8 and of 128 characters", async () => {
    expect((await call("/api/register", { json: { email: unique(), password: "12345678" } })).status).toBe(201);
    expect((await call("/api/register", { json: { email: unique(), password: "p".repeat(128) } })).status).toBe(201);
  });
});

describe("password grant", () => {
  it("issues a bearer token pair that works on the API", async () => {
    const user = await createUser("grant");
    const res = await call("/api/token", { form: { email: user.email, password: user.password } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    const [header, payload] = res.json.data.access_token
      .split(".")
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header).toEqual({ alg: "HS256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toMatchObject({ iss: "darkroom", aud: "darkroom-api", sub: user.id });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(900);
    expect(typeof payload.jti).toBe("string");
    expect((await call("/api/jobs", { token: res.json.data.access_token })).status).toBe(200);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const user = await createUser("enum");
    const wrongPassword = await call("/api/token", { json: { email: user.email, password: "not the password" } });
    const unknownEmail = await call("/api/token", { json: { email: unique(), password: "not the password" } });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.text).toBe(unknownEmail.text);
    expect(wrongPassword.json).toEqual(failure("Invalid or expired credentials"));
  });

  it("stores refresh tokens only as hashes", async () => {
    const user = await createUser("hash");
    const rows = await sql()`select token_hash from refresh_tokens where user_id = ${user.id}`;
    expect(rows.length).toBe(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(user.refreshToken.split(".")[1]);
  });
});

describe("refresh and revoke", () => {
  it("rotates: the new pair works and the old refresh token stops working", async () => {
    const user = await createUser("rotate");
    const first = await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.json.data.refresh_token).not.toBe(user.refreshToken);
    expect((await call("/api/jobs", { token: first.json.data.access_token })).status).toBe(200);
    const again = await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    expect(again.status).toBe(401);
  });

  it("treats reuse of a spent refresh token as theft and revokes the whole family", async () => {
    const user = await createUser("reuse");
    const rotated = await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    const stolenReplay = await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    expect(stolenReplay.status).toBe(401);
    // The legitimate holder's newer token is now revoked too.
    const legit = await call("/api/token/refresh", { json: { refresh_token: rotated.json.data.refresh_token } });
    expect(legit.status).toBe(401);
  });

  it("revokes a refresh token", async () => {
    const user = await createUser("revoke");
    const res = await call("/api/token/revoke", { form: { refresh_token: user.refreshToken } });
    expect(res.status).toBe(200);
    expect(res.json.meta.code).toBe(1);
    expect((await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } })).status).toBe(401);
  });

  it("cannot use one person's refresh token under another person's id", async () => {
    const ada = await createUser("ada");
    const bob = await createUser("bob");
    const forged = `${bob.id}.${ada.refreshToken.split(".")[1]}`;
    expect((await call("/api/token/refresh", { json: { refresh_token: forged } })).status).toBe(401);
    // Ada's own token is unaffected.
    expect((await call("/api/token/refresh", { json: { refresh_token: ada.refreshToken } })).status).toBe(200);
  });

  it.each(["", "garbage", "not-a-uuid.abcdefghijklmnopqrstuvwxyzabcdefghijklmnop"])("rejects a malformed refresh token %j", async (token) => {
    const res = await call("/api/token/refresh", { json: { refresh_token: token } });
    expect([400, 401]).toContain(res.status);
    expect(res.json.meta.code).toBe(0);
  });
});

describe("which credential decides", () => {
  it("accepts the Auth.js session cookie on the API", async () => {
    const user = await createUser("cookie");
    const cookie = await sessionCookie(user);
    const res = await call("/api/jobs", { cookie });
    expect(res.status).toBe(200);
  });

  it("lets an invalid bearer fail even when a valid session cookie is sent too", async () => {
    const user = await createUser("both");
    const cookie = await sessionCookie(user);
    const res = await call("/api/jobs", { cookie, token: "not.a.token" });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(failure("Invalid or expired credentials"));
  });

  it("does not accept a session cookie value as a bearer token", async () => {
    const user = await createUser("swap");
    const cookie = await sessionCookie(user);
    const res = await call("/api/jobs", { token: cookie.split("=").slice(1).join("=") });
    expect(res.status).toBe(401);
  });

  it("rejects the tokens of a deleted account", async () => {
    const user = await createUser("gone");
    const cookie = await sessionCookie(user);
    await sql()`delete from users where id = ${user.id}`;
    expect((await call("/api/jobs", { token: user.token })).status).toBe(401);
    expect((await call("/api/jobs", { cookie })).status).toBe(401);
    expect((await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } })).status).toBe(401);
  });

  it.each(["Bearer", "Bearer ", "bearer abc.def.ghi", "Basic dXNlcjpwYXNz", "Bearer a b", "garbage"])("answers 401 to the header %j", async (header) => {
    const res = await call("/api/jobs", { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.json.meta.code).toBe(0);
  });
});
