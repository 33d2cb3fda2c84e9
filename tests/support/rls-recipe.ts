// The recipe every user-owned table must follow (docs/architecture.md), as a
// checker over the live catalog. A table is user-owned when it has a `user_id`
// column: tables are discovered, never listed by hand, so a new one is checked
// the moment its migration runs.
import type postgres from "postgres";

// postgres.js's client or a transaction inside it.
type Sql = postgres.Sql | postgres.TransactionSql;

export const APP_ROLE = "darkroom_app";
// The privileges the app's scoped transactions need on every user-owned table
// (UPDATE and DELETE are per table: the audit log is append-only).
export const REQUIRED_PRIVILEGES = ["SELECT", "INSERT"] as const;

export async function userOwnedTables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ table_name: string }[]>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`;
  return rows.map((r) => r.table_name);
}

// `user_id = nullif(current_setting('app.user_id', true), '')::uuid`, however
// PostgreSQL prints it back (casts, parentheses, spacing).
export function comparesOwner(expression: string | null): boolean {
  if (!expression) return false;
  const e = expression
    .replace(/::\w+/g, "")
    .replace(/[\s()]/g, "")
    .toLowerCase();
  return /(^|[^.\w])user_id=nullifcurrent_setting'app\.user_id',true,''$/.test(e) || /^nullifcurrent_setting'app\.user_id',true,''=user_id$/.test(e);
}

// The recipe's one variant: a table whose comment starts with "derived:" holds
// rows the database writes itself from another user-owned table (job_terms, by
// triggers on image_jobs). The app reads its own person's rows and may write
// none: its owner policy is for SELECT (or ALL) and INSERT, UPDATE and DELETE
// must not be granted. Everything else is as for any user-owned table.
const DERIVED = /^derived:/;
const WRITES = ["INSERT", "UPDATE", "DELETE"] as const;

// Every way `table` departs from the recipe; empty when it follows it.
export async function recipeProblems(sql: Sql, table: string): Promise<string[]> {
  const problems: string[] = [];
  const qualified = `public.${table}`;
  const [described] = await sql<{ comment: string | null }[]>`select obj_description(${qualified}::regclass, 'pg_class') as comment`;
  const derived = DERIVED.test(described?.comment ?? "");
  const [rel] = await sql<{ relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
    select relrowsecurity, relforcerowsecurity from pg_class where oid = ${qualified}::regclass`;
  if (!rel?.relrowsecurity) problems.push("row-level security is not enabled");
  if (!rel?.relforcerowsecurity) problems.push("row-level security is not forced");

  const policies = await sql<{ policyname: string; cmd: string; permissive: string; qual: string | null; with_check: string | null }[]>`
    select policyname, cmd, permissive, qual, with_check from pg_policies
    where schemaname = 'public' and tablename = ${table} and ${APP_ROLE} = any(roles)`;
  const granted = async (privilege: string) =>
    (await sql<{ ok: boolean }[]>`select has_table_privilege(${APP_ROLE}, ${qualified}, ${privilege}) as ok`)[0]?.ok === true;
  if (derived) {
    const owner = policies.filter((p) => ["SELECT", "ALL"].includes(p.cmd) && p.permissive === "PERMISSIVE" && comparesOwner(p.qual));
    if (owner.length === 0) problems.push(`no owner policy (FOR SELECT TO ${APP_ROLE} USING user_id = current_setting('app.user_id', true))`);
    if (!(await granted("SELECT"))) problems.push(`${APP_ROLE} lacks SELECT`);
    for (const privilege of WRITES) if (await granted(privilege)) problems.push(`${APP_ROLE} may ${privilege} a derived table`);
  } else {
    const owner = policies.filter((p) => p.cmd === "ALL" && p.permissive === "PERMISSIVE" && comparesOwner(p.qual));
    if (owner.length === 0) problems.push(`no owner policy (FOR ALL TO ${APP_ROLE} USING user_id = current_setting('app.user_id', true))`);
    else if (!owner.some((p) => comparesOwner(p.with_check))) problems.push("the owner policy has no WITH CHECK on user_id");
    for (const privilege of REQUIRED_PRIVILEGES) if (!(await granted(privilege))) problems.push(`${APP_ROLE} lacks ${privilege}`);
  }

  const [index] = await sql<{ n: number }[]>`
    select count(*)::int as n from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
    where i.indrelid = ${qualified}::regclass and a.attname = 'user_id' and i.indpred is null`;
  if (!index?.n) problems.push("no index leading with user_id");

  // Deleting an account deletes its rows in the same statement.
  const [fk] = await sql<{ n: number }[]>`
    select count(*)::int as n from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.conrelid = ${qualified}::regclass and c.contype = 'f' and array_length(c.conkey, 1) = 1
      and a.attname = 'user_id' and c.confrelid = 'public.users'::regclass and c.confdeltype = 'c'`;
  if (!fk?.n) problems.push("user_id is not a foreign key to users(id) ON DELETE CASCADE");
  return problems;
}
