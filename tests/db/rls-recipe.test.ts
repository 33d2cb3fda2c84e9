// The recipe for user-owned tables, enforced: every table in `public` with a
// `user_id` column (found in the catalog, not listed here) has row-level
// security enabled and forced, an owner policy for darkroom_app with USING and
// WITH CHECK, the app role's grants, an index leading with user_id and a
// cascading foreign key to users. The second half proves each check bites, on
// a scratch table built inside a transaction that is always rolled back.
import type postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { closeSql, sql } from "../support/db";
import { recipeProblems, userOwnedTables } from "../support/rls-recipe";

afterAll(closeSql);

describe("every user-owned table follows the recipe", () => {
  it("finds the user-owned tables in the catalog", async () => {
    // The three that exist today must be among them; any new one is checked below without being named.
    expect(await userOwnedTables(sql())).toEqual(expect.arrayContaining(["audit_events", "image_jobs", "refresh_tokens"]));
  });

  it("has RLS enabled and forced, an owner policy with USING and WITH CHECK, grants, a user_id index and a cascading owner key", async () => {
    const report: Record<string, string[]> = {};
    for (const table of await userOwnedTables(sql())) report[table] = await recipeProblems(sql(), table);
    expect(Object.entries(report).filter(([, problems]) => problems.length > 0)).toEqual([]);
  });
});

// One step of the recipe, as SQL on the scratch table.
const STEPS = {
  enable: "alter table recipe_scratch enable row level security",
  force: "alter table recipe_scratch force row level security",
  using:
    "create policy recipe_scratch_owner on recipe_scratch as permissive for all to darkroom_app using (user_id = nullif(current_setting('app.user_id', true), '')::uuid)",
  withCheck: "alter policy recipe_scratch_owner on recipe_scratch with check (user_id = nullif(current_setting('app.user_id', true), '')::uuid)",
  grant: "grant select, insert, update, delete on recipe_scratch to darkroom_app",
  index: "create index recipe_scratch_user_idx on recipe_scratch (user_id, created_at desc)",
} as const;
type Step = keyof typeof STEPS;

class Rollback extends Error {}

// Builds the scratch table with every step except `omit`, runs `check` on it, and rolls everything back.
async function withScratch<T>(omit: Step | "fk" | null, check: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await sql()
    .begin(async (tx) => {
      const owner = omit === "fk" ? "uuid not null" : "uuid not null references users(id) on delete cascade";
      await tx.unsafe(
        `create table recipe_scratch (id uuid primary key default gen_random_uuid(), user_id ${owner}, created_at timestamptz not null default now())`,
      );
      for (const [step, statement] of Object.entries(STEPS) as [Step, string][]) {
        if (step === omit || (omit === "using" && step === "withCheck")) continue;
        await tx.unsafe(statement);
      }
      result = await check(tx);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result as T;
}

describe("the recipe check bites", () => {
  it("discovers a new table with user_id without being told, and passes it when every step is there", async () => {
    const { tables, problems } = await withScratch(null, async (tx) => ({
      tables: await userOwnedTables(tx),
      problems: await recipeProblems(tx, "recipe_scratch"),
    }));
    expect(tables).toContain("recipe_scratch");
    expect(problems).toEqual([]);
    // Rolled back: nothing is left behind for the check above.
    expect(await userOwnedTables(sql())).not.toContain("recipe_scratch");
  });

  const missing: [Step | "fk", string[]][] = [
    ["enable", ["row-level security is not enabled"]],
    ["force", ["row-level security is not forced"]],
    ["using", ["no owner policy (FOR ALL TO darkroom_app USING user_id = current_setting('app.user_id', true))"]],
    ["withCheck", ["the owner policy has no WITH CHECK on user_id"]],
    ["grant", ["darkroom_app lacks SELECT", "darkroom_app lacks INSERT"]],
    ["index", ["no index leading with user_id"]],
    ["fk", ["user_id is not a foreign key to users(id) ON DELETE CASCADE"]],
  ];

  it.each(missing)("reports a table without the %s step", async (omit, expected) => {
    expect(await withScratch(omit, (tx) => recipeProblems(tx, "recipe_scratch"))).toEqual(expected);
  });

  it("holds a derived table (comment 'derived: …') to its own variant: read-only for the app, no write granted", async () => {
    const derived = (extra: string[]) =>
      withScratch(null, async (tx) => {
        await tx.unsafe("comment on table recipe_scratch is 'derived: test'");
        await tx.unsafe("revoke insert, update, delete on recipe_scratch from darkroom_app");
        for (const statement of extra) await tx.unsafe(statement);
        return recipeProblems(tx, "recipe_scratch");
      });
    expect(await derived([])).toEqual([]);
    expect(await derived(["grant insert on recipe_scratch to darkroom_app"])).toEqual(["darkroom_app may INSERT a derived table"]);
    expect(await derived(["grant delete on recipe_scratch to darkroom_app"])).toEqual(["darkroom_app may DELETE a derived table"]);
    expect(await derived(["revoke select on recipe_scratch from darkroom_app"])).toEqual(["darkroom_app lacks SELECT"]);
    expect(await derived(["drop policy recipe_scratch_owner on recipe_scratch"])).toEqual([
      "no owner policy (FOR SELECT TO darkroom_app USING user_id = current_setting('app.user_id', true))",
    ]);
  });

  it("does not accept a policy that compares something else, or an index that only ends with user_id", async () => {
    const problems = await withScratch(null, async (tx) => {
      await tx.unsafe("drop policy recipe_scratch_owner on recipe_scratch");
      await tx.unsafe("create policy recipe_scratch_any on recipe_scratch for all to darkroom_app using (true) with check (true)");
      await tx.unsafe("drop index recipe_scratch_user_idx");
      await tx.unsafe("create index recipe_scratch_created_idx on recipe_scratch (created_at, user_id)");
      return recipeProblems(tx, "recipe_scratch");
    });
    expect(problems).toEqual([
      "no owner policy (FOR ALL TO darkroom_app USING user_id = current_setting('app.user_id', true))",
      "no index leading with user_id",
    ]);
  });
});
