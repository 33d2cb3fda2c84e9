// The scoped transactions of db/client.ts are sent pipelined on a reserved
// connection (BEGIN, the scope's settings and the statements in one write).
// What must hold whatever happens: the statements run in the scope, and a
// connection goes back to the pool with no transaction open, no role and no
// person set — after a success, a failing statement, a throwing callback, or
// a callback that swallowed a statement's error. The pool has one connection
// here, so every check after a scope runs on the very connection it used.
import { randomUUID } from "node:crypto";
import { sql as raw } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeSql } from "../support/db";

let client: typeof import("@/db/client");

beforeAll(async () => {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.DB_POOL_MAX = "1";
  client = await import("@/db/client");
});

afterAll(async () => {
  await client.closeDatabase();
  await closeSql();
});

const who = raw`select current_user as role, coalesce(current_setting('app.user_id', true), '') as uid`;

// On the bare pool connection: outside any transaction (a statement in an
// aborted transaction would fail), as the login role, with nobody set.
async function cleanConnection(): Promise<void> {
  const [row] = (await client.systemDb().execute(who)) as unknown as { role: string; uid: string }[];
  expect(row!.role).not.toBe("darkroom_app");
  expect(row!.uid).toBe("");
}

describe("scoped transactions sent in one write", () => {
  it("run every statement in the person's scope, and leave the connection clean", async () => {
    const id = randomUUID();
    const [a, b] = await client.readAsUser(id, (tx) => [tx.execute(who), tx.execute(raw`select 2 as two`)]);
    expect((a as unknown as { role: string; uid: string }[])[0]).toEqual({ role: "darkroom_app", uid: id });
    expect((b as unknown as { two: number }[])[0]!.two).toBe(2);
    await cleanConnection();
    const inside = await client.withUser(id, async (tx) => (await tx.execute(who)) as unknown as { role: string; uid: string }[]);
    expect(inside[0]).toEqual({ role: "darkroom_app", uid: id });
    await cleanConnection();
  });

  it("reject when a statement fails, and leave the connection clean", async () => {
    const id = randomUUID();
    await expect(client.readAsUser(id, (tx) => [tx.execute(who), tx.execute(raw`select 1 / 0`)])).rejects.toThrow();
    await cleanConnection();
    await expect(client.withUser(id, (tx) => tx.execute(raw`select 1 / 0`))).rejects.toThrow();
    await cleanConnection();
  });

  it("reject when the callback throws, or swallowed a statement's error, and leave the connection clean", async () => {
    const id = randomUUID();
    await expect(
      client.withUser(id, async () => {
        throw new Error("the callback failed");
      }),
    ).rejects.toThrow("the callback failed");
    await cleanConnection();
    // The transaction was aborted, so it cannot have committed: that is an error, not a result.
    await expect(
      client.withUser(id, (tx) =>
        tx.execute(raw`select 1 / 0`).then(
          () => "ok",
          () => "swallowed",
        ),
      ),
    ).rejects.toThrow(/not COMMIT/);
    await cleanConnection();
  });

  it("refuse a person id that is not a UUID before touching the database", async () => {
    await expect(client.readAsUser("not-a-uuid", (tx) => [tx.execute(who)])).rejects.toThrow(/user id/);
    await expect(client.withUser("x' or 1=1 --", (tx) => tx.execute(who))).rejects.toThrow(/user id/);
    await cleanConnection();
  });

  it("run statements sent together with inOrder in the order given, and fail from the first failing one on", async () => {
    const id = randomUUID();
    // Each statement sees what the one before it set: they ran in turn, in this order.
    const [, seen, [third]] = await client.withUser(id, (tx) =>
      client.inOrder(
        tx.execute(raw`select set_config('app.step', 'one', true)`),
        tx.execute(raw`select set_config('app.step', current_setting('app.step') || ',two', true) as step`),
        tx.execute(raw`select current_setting('app.step') as step, current_setting('app.user_id') as uid`),
      ),
    );
    expect((seen as unknown as { step: string }[])[0]!.step).toBe("one,two");
    expect(third).toEqual({ step: "one,two", uid: id });
    await cleanConnection();
    // The statement after a failing one does not run (the transaction is aborted), and nothing commits.
    await expect(client.withUser(id, (tx) => client.inOrder(tx.execute(who), tx.execute(raw`select 1 / 0`), tx.execute(who)))).rejects.toThrow(
      /Failed query: select 1 \/ 0/,
    );
    await cleanConnection();
  });
});
