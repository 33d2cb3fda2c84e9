// Every account's door (issue 9): guessing is bounded per account whatever the
// address, nobody becomes an administrator through the public API, revocation
// wins every race, sessions end on the server, and the database wall fails
// closed for the role the app actually runs as.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { testPort } from "../setup/ports";
import { startServer } from "../setup/spawn-server";
import { adminCli } from "../support/admin";
import { baseUrl, call, createUser, sessionCookie, type TestUser } from "../support/api";
import { closeSql, runtimeUrl, sql } from "../support/db";

afterAll(closeSql);

describe("password guessing", () => {
  it("lets at most LOGIN_FAILURES_PER_ACCOUNT (20) of 60 guesses from 60 addresses reach the password check", async () => {
    const user = await createUser("guessed");
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await call("/api/token", { json: { email: user.email, password: `guess ${i}` }, headers: { "x-forwarded-for": `203.0.113.${i + 1}` } });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses.filter((s) => s === 401).length).toBe(20);
    expect(statuses.filter((s) => s === 429).length).toBe(40);
    // Without a device cookie, even the right password waits out the lockout.
    expect((await call("/api/token", { json: { email: user.email, password: user.password } })).status).toBe(429);
    // The owner is told.
    const events = await sql()`select event from audit_events where user_id = ${user.id} and event = 'sign_in_failures_blocked'`;
    expect(events.length).toBe(1);
  });
});

describe("administrators", () => {
  it("gives a plain user to anyone registering an address named in ADMIN_EMAILS", async () => {
    // The shared test server runs with ADMIN_EMAILS=admin@darkroom.test (tests/setup/server.ts), which is ignored.
    const email = "admin@darkroom.test";
    const registered = await call("/api/register", { json: { email, password: "admin password!" } });
    expect(registered.status).toBe(201);
    const token = (await call("/api/token", { json: { email, password: "admin password!" } })).json.data.access_token;
    expect((await call("/api/account", { token })).json.data.user.role).toBe("user");
    expect((await call("/api/admin/users", { token })).status).toBe(403);
  });

  it("are made and unmade only by the operator's CLI, which logs it to the person's activity", async () => {
    const user = await createUser("promoted");
    expect((await call("/api/admin/users", { token: user.token })).status).toBe(403);
    const granted = await adminCli("grant", user.email);
    expect(granted).toMatchObject({ code: 0 });
    expect(granted.out).toContain("is now an administrator");
    // The same token: the role is read from the database on every request.
    expect((await call("/api/admin/users", { token: user.token })).status).toBe(200);
    expect((await adminCli("list")).out).toContain(user.email);
    const activity = await call("/api/account/activity", { token: user.token });
    expect(activity.json.data.events.map((e: { event: string }) => e.event)).toContain("role_granted");
    expect(await adminCli("revoke", user.email)).toMatchObject({ code: 0 });
    expect((await call("/api/admin/users", { token: user.token })).status).toBe(403);
    expect((await adminCli("grant", "nobody-at-all@example.com")).code).toBe(1);
    expect((await adminCli("promote")).code).toBe(2);
  });

  it("cannot be granted by the app's own database role", async () => {
    const user = await createUser("self-made");
    const asRuntime = postgres(runtimeUrl(), { max: 1, onnotice: () => {} });
    try {
      await expect(
        asRuntime.begin(async (tx) => {
          await tx`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${user.id}, true)`;
          await tx`update users set role = 'admin' where id = ${user.id}`;
        }),
      ).rejects.toThrow(/permission denied/);
      await expect(
        asRuntime.begin(async (tx) => {
          const id = randomUUID();
          await tx`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${id}, true)`;
          await tx`insert into users (id, email, password_hash, role) values (${id}, ${`x-${id}@example.com`}, 'x', 'admin')`;
        }),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await asRuntime.end();
    }
  });
});

describe("revocation", () => {
  it("leaves no working token after 20 refreshes race a sign-out-everywhere, round after round", async () => {
    const user = await createUser("racer");
    for (let round = 0; round < 3; round++) {
      const grants = await Promise.all(Array.from({ length: 20 }, () => call("/api/token", { json: { email: user.email, password: user.password } })));
      const pairs = grants.map((g) => g.json.data as { access_token: string; refresh_token: string });
      const [revoke, ...refreshes] = await Promise.all([
        call("/api/account/sessions/revoke", { token: pairs[0]!.access_token, method: "POST" }),
        ...pairs.map((p) => call("/api/token/refresh", { json: { refresh_token: p.refresh_token } })),
      ]);
      expect(revoke!.status).toBe(200);
      const issued = refreshes.filter((r) => r.status === 200).map((r) => r.json.data as { access_token: string; refresh_token: string });
      expect(refreshes.every((r) => r.status === 200 || r.status === 401)).toBe(true);
      for (const tokens of [...issued, ...pairs]) {
        expect((await call("/api/account", { token: tokens.access_token })).status).toBe(401);
        expect((await call("/api/token/refresh", { json: { refresh_token: tokens.refresh_token } })).status).toBe(401);
      }
    }
  });

  it("ends a refresh token family at its absolute lifetime, however often it was rotated", async () => {
    const user = await createUser("family");
    const [first] = await sql()`select family_id, family_expires_at from refresh_tokens where user_id = ${user.id}`;
    const rotated = await call("/api/token/refresh", { json: { refresh_token: user.refreshToken } });
    expect(rotated.status).toBe(200);
    const rows = await sql()`select family_expires_at, expires_at from refresh_tokens where family_id = ${first!.family_id}`;
    expect(rows.length).toBe(2);
    for (const row of rows) {
      expect(row.family_expires_at.getTime()).toBe(first!.family_expires_at.getTime());
      expect(row.expires_at.getTime()).toBeLessThanOrEqual(first!.family_expires_at.getTime());
    }
    const days = (first!.family_expires_at.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    await sql()`update refresh_tokens set family_expires_at = now() - interval '1 second' where family_id = ${first!.family_id}`;
    expect((await call("/api/token/refresh", { json: { refresh_token: rotated.json.data.refresh_token } })).status).toBe(401);
  });
});

async function signOut(cookie: string): Promise<void> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { cookie } });
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl()}/api/auth/signout`, {
    method: "POST",
    headers: { cookie: [cookie, ...csrfCookie].join("; "), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login" }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
}

describe("browser sessions", () => {
  it("ends a session on the server at sign-out: a copy of the cookie stops working", async () => {
    const user = await createUser("copied");
    const cookie = await sessionCookie(user);
    expect((await call("/api/account", { cookie })).status).toBe(200);
    await signOut(cookie);
    expect((await call("/api/account", { cookie })).status).toBe(401);
  });

  it("lists a person's sessions and signs one out from another, and another person's session is just missing", async () => {
    const ada = await createUser("sessions-ada");
    const bob = await createUser("sessions-bob");
    const laptop = await sessionCookie(ada);
    const phone = await sessionCookie(ada);
    const bobs = await sessionCookie(bob);
    const listed = await call("/api/account/sessions", { cookie: laptop });
    expect(listed.status).toBe(200);
    const sessions = listed.json.data.sessions as { id: string; current: boolean; browser: string }[];
    expect(sessions.length).toBe(2);
    expect(sessions.filter((s) => s.current).length).toBe(1);
    const phoneId = sessions.find((s) => !s.current)!.id;
    const bobId = (await call("/api/account/sessions", { cookie: bobs })).json.data.sessions[0].id;

    const other = await call(`/api/account/sessions/${bobId}`, { token: ada.token, method: "DELETE" });
    const missing = await call(`/api/account/sessions/${randomUUID()}`, { token: ada.token, method: "DELETE" });
    const malformed = await call("/api/account/sessions/not-an-id", { token: ada.token, method: "DELETE" });
    for (const answer of [other, missing, malformed]) {
      expect(answer.status).toBe(404);
      expect(answer.text).toBe(missing.text);
    }
    expect((await call("/api/account", { cookie: bobs })).status).toBe(200);

    expect((await call(`/api/account/sessions/${phoneId}`, { token: ada.token, method: "DELETE" })).status).toBe(200);
    expect((await call("/api/account", { cookie: phone })).status).toBe(401);
    expect((await call("/api/account", { cookie: laptop })).status).toBe(200);
  });

  it("ends every session at sign-out-everywhere", async () => {
    const user: TestUser = await createUser("everywhere");
    const cookie = await sessionCookie(user);
    expect((await call("/api/account/sessions/revoke", { token: user.token, method: "POST" })).status).toBe(200);
    expect((await call("/api/account", { cookie })).status).toBe(401);
    const [row] = await sql()`select count(*)::int as live from sessions where user_id = ${user.id} and revoked_at is null`;
    expect(row!.live).toBe(0);
  });
});

describe("the database wall, as the role the app runs as", () => {
  const userOwnedTables = async () =>
    (
      await sql()`select c.table_name as name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = 'public' and c.column_name = 'user_id' and t.table_type = 'BASE TABLE' order by 1`
    ).map((r) => r.name as string);

  it("is not superuser, not BYPASSRLS, owns nothing and inherits no policy role", async () => {
    const [role] = await sql()`select rolsuper, rolbypassrls, rolinherit, rolcreaterole from pg_roles where rolname = 'darkroom_runtime'`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolinherit: false, rolcreaterole: false });
    const [owned] = await sql()`select count(*)::int as n from pg_class where relowner = (select oid from pg_roles where rolname = 'darkroom_runtime')`;
    expect(owned!.n).toBe(0);
    const [inherits] =
      await sql()`select bool_or(pg_has_role('darkroom_runtime', r, 'USAGE')) as any from unnest(array['darkroom_app', 'darkroom_worker', 'darkroom_admin']) r`;
    expect(inherits!.any).toBe(false);
  });

  it("reads nothing from any user-owned table or users, with or without switching role, unless a person is set", async () => {
    const ada = await createUser("wall");
    const tables = await userOwnedTables();
    expect(tables).toEqual(expect.arrayContaining(["audit_events", "image_jobs", "refresh_tokens", "sessions"]));
    const asRuntime = postgres(runtimeUrl(), { max: 1, onnotice: () => {} });
    try {
      for (const table of [...tables, "users"]) {
        await expect(asRuntime.unsafe(`select * from ${table} limit 1`)).rejects.toThrow(/permission denied/);
        const [rows] = await asRuntime
          .begin((tx) => [tx`select set_config('role', 'darkroom_app', true)`, tx.unsafe(`select count(*)::int as n from ${table}`)])
          .then((r) => [r[1]]);
        expect(rows![0]!.n).toBe(0);
      }
      // A person set: their own account row only, and never a password hash.
      const mine = await asRuntime.begin((tx) => [
        tx`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${ada.id}, true)`,
        tx`select id from users`,
      ]);
      expect(mine[1]).toEqual([{ id: ada.id }]);
      await expect(
        asRuntime.begin(async (tx) => {
          await tx`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${ada.id}, true)`;
          await tx`select password_hash from users`;
        }),
      ).rejects.toThrow(/permission denied/);
      // The sign-in lookup is for darkroom_app only.
      await expect(asRuntime`select * from darkroom_sign_in_lookup(${ada.email})`).rejects.toThrow(/permission denied/);
    } finally {
      await asRuntime.end();
    }
  });

  it("cannot regain privileges with SET ROLE or RESET ROLE", async () => {
    const asRuntime = postgres(runtimeUrl(), { max: 1, onnotice: () => {} });
    try {
      await expect(asRuntime`set role postgres`).rejects.toThrow(/permission denied/);
      await expect(asRuntime.unsafe("set session authorization postgres")).rejects.toThrow(/permission denied/);
      await asRuntime.unsafe("set role darkroom_admin");
      await expect(asRuntime`select prompt from image_jobs limit 1`).rejects.toThrow(/permission denied/);
      await expect(asRuntime`select password_hash from users limit 1`).rejects.toThrow(/permission denied/);
      await asRuntime.unsafe("reset role");
      await expect(asRuntime`select count(*) from image_jobs`).rejects.toThrow(/permission denied/);
      await expect(asRuntime.unsafe("alter table image_jobs disable row level security")).rejects.toThrow(/must be owner/);
      await expect(asRuntime.unsafe("create role intruder superuser")).rejects.toThrow(/permission denied/);
    } finally {
      await asRuntime.end();
    }
  });
});

describe("starting on a privileged database role", () => {
  it("is refused in production, with the fix in the message; development serves as its own unprivileged role", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "darkroom-doors-"));
    const env = {
      DATABASE_URL: inject("databaseUrl"),
      DATA_DIR: dataDir,
      DARKROOM_ENV: "production",
      AUTH_SECRET: "a".repeat(40),
      API_TOKEN_SECRET: "b".repeat(40),
    };
    try {
      await expect(startServer({ port: testPort(62), env })).rejects.toThrow(
        /DATABASE_URL connects as "postgres", which is a superuser[\s\S]*Connect as an unprivileged login role[\s\S]*MIGRATIONS_DATABASE_URL/,
      );
      const dev = await startServer({ port: testPort(62), env: { ...env, DARKROOM_ENV: "development" } });
      try {
        expect(dev.output()).toContain('serving as \\"darkroom_runtime\\" instead');
        expect(dev.output()).toContain('"event":"database_role","role":"darkroom_runtime"');
      } finally {
        await dev.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
