// The second wall: row-level security in PostgreSQL itself. These queries run
// as the app's restricted role, the way the app's scoped transactions do, and
// deliberately forget their WHERE.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, generate, type TestUser } from "../support/api";
import { closeSql, sql } from "../support/db";
import { userOwnedTables } from "../support/rls-recipe";

let ada: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [ada, bob] = await Promise.all([createUser("ada-rls"), createUser("bob-rls")]);
  await generate(ada, "ada rls one");
  await generate(ada, "ada rls two");
  await generate(bob, "bob rls");
});
afterAll(closeSql);

async function asApp(userId: string | null, fn: (tx: any) => Promise<any>): Promise<any> {
  return await sql().begin(async (tx) => {
    await tx`select set_config('role', 'darkroom_app', true)`;
    if (userId) await tx`select set_config('app.user_id', ${userId}, true)`;
    return fn(tx);
  });
}

describe("row-level security", () => {
  it("shows user A only A's rows for SELECT * with no WHERE", async () => {
    const rows = await asApp(ada.id, (tx) => tx`select * from image_jobs`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r: { user_id: string }) => r.user_id))).toEqual(new Set([ada.id]));
    const tokens = await asApp(ada.id, (tx) => tx`select user_id from refresh_tokens`);
    expect(new Set(tokens.map((r: { user_id: string }) => r.user_id))).toEqual(new Set([ada.id]));
    // And every other user-owned table, found in the catalog (tests/db/rls-recipe.test.ts checks the policies themselves).
    for (const table of await userOwnedTables(sql())) {
      const owners = await asApp(ada.id, (tx) => tx`select distinct user_id from ${tx(table)}`);
      expect(
        owners.filter((r: { user_id: string }) => r.user_id !== ada.id),
        table,
      ).toEqual([]);
    }
  });

  it("refuses an insert carrying another user's id", async () => {
    await expect(
      asApp(
        ada.id,
        (tx) => tx`insert into image_jobs (user_id, prompt, style, quality, model) values (${bob.id}, 'forged', 'realistic', 'standard', 'local/sketch')`,
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update or delete another user's rows, even naming them by id", async () => {
    const [bobJob] = await sql()`select id from image_jobs where user_id = ${bob.id} limit 1`;
    const updated = await asApp(ada.id, (tx) => tx`update image_jobs set prompt = 'hijacked' where id = ${bobJob!.id} returning id`);
    const deleted = await asApp(ada.id, (tx) => tx`delete from image_jobs where id = ${bobJob!.id} returning id`);
    expect(updated.length).toBe(0);
    expect(deleted.length).toBe(0);
    const [after] = await sql()`select prompt from image_jobs where id = ${bobJob!.id}`;
    expect(after!.prompt).toBe("bob rls");
  });

  it("shows nothing when no user is set", async () => {
    expect((await asApp(null, (tx) => tx`select * from image_jobs`)).length).toBe(0);
    expect((await asApp(null, (tx) => tx`select * from refresh_tokens`)).length).toBe(0);
    for (const table of await userOwnedTables(sql())) expect((await asApp(null, (tx) => tx`select * from ${tx(table)}`)).length, table).toBe(0);
  });

  it("leaves no user or role behind on the pooled connection after the transaction", async () => {
    await asApp(ada.id, (tx) => tx`select 1`);
    const [row] = await sql()`select current_setting('app.user_id', true) as uid, current_user as role`;
    expect(row!.uid || null).toBeNull();
    expect(row!.role).toBe("postgres");
  });

  it("keeps the roles restricted and the tables forced", async () => {
    const roles = await sql()`select rolname, rolsuper, rolbypassrls from pg_roles where rolname in ('darkroom_app', 'darkroom_worker') order by rolname`;
    expect(roles).toEqual([
      { rolname: "darkroom_app", rolsuper: false, rolbypassrls: false },
      { rolname: "darkroom_worker", rolsuper: false, rolbypassrls: false },
    ]);
    // Every table with a user_id column, from the catalog: a hand list here once missed audit_events.
    const owned = await userOwnedTables(sql());
    expect(owned).toEqual(expect.arrayContaining(["audit_events", "image_jobs", "refresh_tokens"]));
    const tables = await sql()`select relname, relrowsecurity, relforcerowsecurity from pg_class
      where oid = any(${owned.map((t) => `public.${t}`)}::regclass[]) order by relname`;
    expect(tables).toEqual(owned.map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })));
  });

  it("lets the crash-recovery worker see only ids and owners of unfinished jobs, never prompts", async () => {
    const visible = await sql().begin(async (tx) => {
      await tx`select set_config('role', 'darkroom_worker', true)`;
      return tx`select id, user_id, status from image_jobs`;
    });
    for (const row of visible as unknown as { status: string }[]) expect(["queued", "processing"]).toContain(row.status);
    await expect(
      sql().begin(async (tx) => {
        await tx`select set_config('role', 'darkroom_worker', true)`;
        return tx`select prompt from image_jobs`;
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
