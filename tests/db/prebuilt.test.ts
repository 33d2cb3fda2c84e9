// Statements built once (db/prebuilt.ts): one SQL text, with placeholders, run
// by every caller in their own scope with their own values. What must hold:
// each call sees exactly its own values (also many calls at once, for many
// people), the rows are mapped as Drizzle's builder maps them, the statement
// runs in the caller's scope (RLS applies as to any statement), and it refuses
// to run on anything but a scope's connection.
import { randomUUID } from "node:crypto";
import { eq, sql as raw } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { closeSql, sql } from "../support/db";

let client: typeof import("@/db/client");
let prebuilt: typeof import("@/db/prebuilt").prebuilt;
let prebuiltSql: typeof import("@/db/prebuilt").prebuiltSql;
let schema: typeof import("@/db/schema");
const emailDomain = `prebuilt-${randomUUID().slice(0, 8)}.test`;
let people: { id: string; email: string }[] = [];

beforeAll(async () => {
  process.env.DATABASE_URL = inject("databaseUrl");
  client = await import("@/db/client");
  ({ prebuilt, prebuiltSql } = await import("@/db/prebuilt"));
  schema = await import("@/db/schema");
  people = await sql()<{ id: string; email: string }[]>`
    insert into users (email, password_hash)
    select 'person-' || i || '@' || ${emailDomain}, 'not-a-real-hash' from generate_series(1, 12) i
    returning id, email`;
});

afterAll(async () => {
  await sql()`delete from users where email like ${`%@${emailDomain}`}`;
  await client.closeDatabase();
  await closeSql();
});

const byId = () =>
  prebuilt<{ id: string }, { id: string; email: string; createdAt: Date }[]>((tx) =>
    tx
      .select({ id: schema.users.id, email: schema.users.email, createdAt: schema.users.createdAt })
      .from(schema.users)
      .where(eq(schema.users.id, raw.placeholder("id"))),
  );

describe("a statement built once", () => {
  it("gives every call its own values, many at once, and maps rows as the builder does", async () => {
    const account = byId();
    const results = await Promise.all(people.map((p) => client.readAsUser(p.id, (tx) => [account(tx, { id: p.id })])));
    results.forEach(([rows], i) => {
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: people[i]!.id, email: people[i]!.email });
      expect(rows[0]!.createdAt).toBeInstanceOf(Date);
    });
  });

  it("runs in the caller's scope: another person's id finds nothing (row-level security)", async () => {
    const account = byId();
    const [a, b] = people;
    const [own, foreign] = await client.readAsUser(a!.id, (tx) => [account(tx, { id: a!.id }), account(tx, { id: b!.id })]);
    expect(own.map((r) => r.id)).toEqual([a!.id]);
    expect(foreign).toEqual([]);
    // And inside withUser too.
    expect(await client.withUser(b!.id, (tx) => account(tx, { id: a!.id }))).toEqual([]);
  });

  it("written in SQL: each call its own values, in its own scope", async () => {
    const emailOf = prebuiltSql<{ id: string }, { email: string; uid: string }>(
      () => raw`select email, current_setting('app.user_id', true) as uid from users where id = ${raw.placeholder("id")}`,
    );
    const results = await Promise.all(people.map((p) => client.readAsUser(p.id, (tx) => [emailOf(tx, { id: p.id }), emailOf(tx, { id: people[0]!.id })])));
    results.forEach(([own, first], i) => {
      expect([...own]).toEqual([{ email: people[i]!.email, uid: people[i]!.id }]);
      // Someone else's row is not there, unless it is their own.
      expect(first.length).toBe(i === 0 ? 1 : 0);
    });
    expect(() => emailOf(client.templateTx(), { id: people[0]!.id })).toThrow(/only in a scope/);
  });

  it("refuses to run outside a scope, sending nothing", async () => {
    const account = byId();
    expect(() => account(client.templateTx(), { id: people[0]!.id })).toThrow(/only in a scope/);
    expect(() => account(client.systemDb() as never, { id: people[0]!.id })).toThrow(/only in a scope/);
  });

  it("fails, and leaves no transaction behind, when a value is missing", async () => {
    const account = byId();
    await expect(client.readAsUser(people[0]!.id, (tx) => [account(tx, {} as never)])).rejects.toThrow();
    const [rows] = await client.readAsUser(people[0]!.id, (tx) => [account(tx, { id: people[0]!.id })]);
    expect(rows).toHaveLength(1);
  });

  // The hot reads use their statements built once: after the first call they
  // build no SQL at all (a plain list page that silently took the per-call
  // path once went unnoticed but for a profile).
  it("the hot reads build no SQL after their first call; a filtered page still does", async () => {
    const { PgDialect } = await import("drizzle-orm/pg-core");
    const jobs = await import("@/lib/jobs/queries");
    const users = await import("@/lib/users/queries");
    const sessions = await import("@/lib/auth/sessions");
    const person = people[1]!.id;
    const hot = () =>
      Promise.all([
        jobs.listJobs({ userId: person, limit: 21 }),
        jobs.listJobs({ userId: person, limit: 25, status: "completed" }),
        jobs.listJobs({ userId: person, limit: 21, style: "sketch", after: { createdAt: new Date(), id: randomUUID() } }),
        jobs.findJobWithImages({ userId: person, jobId: randomUUID() }),
        jobs.findJob({ userId: person, jobId: randomUUID() }),
        users.findAccount(person),
        sessions.sessionAccount(person, randomUUID()),
      ]);
    await hot();
    const built = vi.spyOn(PgDialect.prototype, "sqlToQuery");
    try {
      const [feed, , , job, bare, account, session] = await hot();
      expect(built).not.toHaveBeenCalled();
      expect(feed.rows).toEqual([]);
      expect(job).toBeUndefined();
      expect(bare).toBeUndefined();
      expect(account?.id).toBe(person);
      expect(session).toBeUndefined();
      await jobs.listJobs({ userId: person, limit: 21, filters: { model: "local/sketch" } });
      expect(built).toHaveBeenCalled();
    } finally {
      built.mockRestore();
    }
  });
});
