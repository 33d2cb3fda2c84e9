// Roles, and data that leaves with its owner: admin counts without content,
// account deletion that leaves no file behind, an export of one's own work
// only, and an activity log.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminCli } from "../support/admin";
import { call, createUser, failure, generate, type TestUser, waitForStatus } from "../support/api";
import { closeSql, sql } from "../support/db";

let admin: TestUser;
let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [admin, ada, bob] = await Promise.all([createUser("admin-acct"), createUser("ada-acct"), createUser("bob-acct")]);
  // Administrators are made by the operator, never through the API (tests/security/doors.test.ts).
  expect((await adminCli("grant", admin.email)).code).toBe(0);
});
afterAll(closeSql);

describe("roles", () => {
  it("answers 403 to a valid non-admin on admin routes", async () => {
    const list = await call("/api/admin/users", { token: ada.token });
    expect(list.status).toBe(403);
    expect(list.json).toEqual(failure("Administrator access required"));
    const disable = await call(`/api/admin/users/${bob.id}/disable`, { token: ada.token, method: "POST" });
    expect(disable.status).toBe(403);
    expect((await call("/api/jobs", { token: bob.token })).status).toBe(200);
  });

  it("names admins by the operator only, not by being first", async () => {
    const me = await call("/api/account", { token: admin.token });
    expect(me.json.data.user.role).toBe("admin");
    expect((await call("/api/account", { token: ada.token })).json.data.user.role).toBe("user");
  });

  it("shows admins counts and status, never prompts or images", async () => {
    await waitForStatus(ada, (await generate(ada, "ada's private prompt")).job_id, ["completed"]);
    await waitForStatus(ada, (await generate(ada, "ada fails [[fail]]")).job_id, ["failed"]);
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await call(`/api/admin/users?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain("private prompt");
      expect(res.text).not.toContain("/api/images/");
      seen.push(...res.json.data.users);
      cursor = res.json.data.next_cursor;
    } while (cursor);
    const row = seen.find((u) => u.id === ada.id);
    expect(row).toMatchObject({ email: ada.email, status: "active", jobs: { total: 2, completed: 1, failed: 1, queued: 0, processing: 0 } });
  });

  it("lets an admin disable an account, which is logged for its owner and ends its access", async () => {
    const carol = await createUser("carol-disabled");
    const res = await call(`/api/admin/users/${carol.id}/disable`, { token: admin.token, method: "POST" });
    expect(res.status).toBe(200);
    expect((await call("/api/jobs", { token: carol.token })).status).toBe(401);
    const [event] = await sql()`select event from audit_events where user_id = ${carol.id} and event = 'account_disabled_by_admin'`;
    expect(event).toBeDefined();
    expect((await call(`/api/admin/users/00000000-0000-4000-8000-000000000000/disable`, { token: admin.token, method: "POST" })).status).toBe(404);
  });
});

describe("data that leaves with its owner", () => {
  it("exports a zip of the person's own images and jobs only", async () => {
    const mine = await waitForStatus(bob, (await generate(bob, "bob's export")).job_id, ["completed"]);
    const res = await call("/api/account/export", { token: bob.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const files = unzipSync(new Uint8Array(res.bytes));
    expect(Object.keys(files).sort()).toEqual([`images/${mine.job_id}.png`, "jobs.json"]);
    const manifest = JSON.parse(new TextDecoder().decode(files["jobs.json"]));
    expect(manifest.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([mine.job_id]);
    expect(Buffer.from(files[`images/${mine.job_id}.png`]!).subarray(1, 4).toString()).toBe("PNG");
  });

  it("requires the current password to delete an account", async () => {
    const res = await call("/api/account", { token: bob.token, method: "DELETE", json: { password: "wrong password" } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(failure("The password is incorrect"));
    expect((await call("/api/jobs", { token: bob.token })).status).toBe(200);
    expect((await call("/api/account", { token: bob.token, method: "DELETE", json: {} })).status).toBe(400);
  });

  it("deletes the person, their jobs, files, tokens and log, and nobody else's", async () => {
    const dave = await createUser("dave-deleted");
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await waitForStatus(dave, (await generate(dave, `dave ${i}`)).job_id, ["completed"]));
    const bobsBefore = (await call("/api/jobs", { token: bob.token })).text;
    const folder = path.join(inject("dataDir"), "files", "users", dave.id);
    expect(readdirSync(path.join(folder, "jobs")).length).toBe(3);

    const res = await call("/api/account", { token: dave.token, method: "DELETE", json: { password: dave.password } });
    expect(res.status).toBe(200);
    expect(res.json.meta.message).toBe("Account deleted");

    expect(existsSync(folder)).toBe(false);
    for (const table of ["users", "image_jobs", "refresh_tokens", "audit_events"]) {
      const column = table === "users" ? "id" : "user_id";
      const [row] = await sql()`select count(*)::int as n from ${sql()(table)} where ${sql()(column)} = ${dave.id}`;
      expect(row!.n, table).toBe(0);
    }
    expect((await call("/api/jobs", { token: dave.token })).status).toBe(401);
    expect((await call("/api/token/refresh", { json: { refresh_token: dave.refreshToken } })).status).toBe(401);
    expect((await call("/api/token", { json: { email: dave.email, password: dave.password } })).status).toBe(401);
    expect((await call("/api/jobs", { token: bob.token })).text).toBe(bobsBefore);
  });

  it("keeps an activity log the person can read, and only theirs", async () => {
    const erin = await createUser("erin-activity");
    const job = await waitForStatus(erin, (await generate(erin)).job_id, ["completed"]);
    await call(`/api/jobs/${job.job_id}`, { token: erin.token, method: "DELETE" });
    const res = await call("/api/account/activity", { token: erin.token });
    expect(res.status).toBe(200);
    const events = res.json.data.events;
    expect(events.map((e: { event: string }) => e.event)).toEqual(["job_deleted", "sign_in"]);
    expect(events[0].detail).toEqual({ job_id: job.job_id });
    expect(res.text).not.toContain(ada.id);
  });
});
