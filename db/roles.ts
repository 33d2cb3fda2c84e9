// The database roles that make the second wall fail closed (docs/security.md):
// - an owner, which owns the tables and runs migrations (and the admin CLI);
// - the runtime login role the app connects as: not superuser, not BYPASSRLS,
//   owns nothing and inherits nothing. It can only switch, per transaction, to
//   darkroom_app / darkroom_worker / darkroom_admin, whose grants and policies
//   decide what it sees. A query that forgets to switch sees no row at all.
import { createHash } from "node:crypto";
import type postgres from "postgres";
import { connectPostgres } from "./url";

export const OWNER_ROLE = "darkroom_owner";
export const RUNTIME_ROLE = "darkroom_runtime";
const GROUP_ROLES = ["darkroom_app", "darkroom_worker", "darkroom_admin"] as const;

// Passwords of the roles the app creates itself are derived from the password of
// the role that creates them: every instance started with the same URL agrees on
// them (nothing extra to store), and whoever holds that URL has more power anyway.
export function derivedPassword(fromPassword: string, role: string): string {
  return createHash("sha256").update(`darkroom-role|${role}|${fromPassword}`).digest("base64url");
}

export function urlForRole(url: string, role: string, password: string): string {
  const next = new URL(url);
  next.username = role;
  next.password = password;
  return next.toString();
}

const connect = (url: string) => connectPostgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

// Role changes from several instances starting together are serialised.
async function underRoleLock(url: string, work: (tx: postgres.TransactionSql) => Promise<void>): Promise<void> {
  const sql = connect(url);
  try {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('darkroom_roles'))`;
      await work(tx);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const roleExists = async (tx: postgres.TransactionSql, role: string) => (await tx`select 1 from pg_roles where rolname = ${role}`).length > 0;

// Embedded database only, as its superuser (used for nothing else): the owner
// role, which then runs the migrations. An install whose tables were created
// by the superuser (before this role existed) hands them over to it.
export async function prepareEmbeddedOwner(superUrl: string, ownerPassword: string): Promise<string> {
  await underRoleLock(superUrl, async (tx) => {
    const verb = (await roleExists(tx, OWNER_ROLE)) ? "ALTER" : "CREATE";
    await tx.unsafe(`${verb} ROLE ${OWNER_ROLE} WITH LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE NOCREATEDB PASSWORD ${literal(ownerPassword)}`);
    const [db] = await tx<{ name: string }[]>`select quote_ident(current_database()) as name`;
    await tx.unsafe(`GRANT CREATE ON DATABASE ${db!.name} TO ${OWNER_ROLE}`);
    await tx.unsafe(`GRANT CREATE, USAGE ON SCHEMA public TO ${OWNER_ROLE}`);
    const owned = await tx<{ kind: string; name: string }[]>`
      select case c.relkind when 'S' then 'SEQUENCE' else 'TABLE' end as kind, format('%I.%I', n.nspname, c.relname) as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p', 'S') and pg_get_userbyid(c.relowner) <> ${OWNER_ROLE}`;
    for (const { kind, name } of owned) await tx.unsafe(`ALTER ${kind} ${name} OWNER TO ${OWNER_ROLE}`);
    if ((await tx`select 1 from pg_namespace where nspname = 'drizzle'`).length > 0) await tx.unsafe(`ALTER SCHEMA drizzle OWNER TO ${OWNER_ROLE}`);
    const functions = await tx<{ sig: string }[]>`
      select p.oid::regprocedure::text as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> ${OWNER_ROLE}`;
    for (const { sig } of functions) await tx.unsafe(`ALTER FUNCTION ${sig} OWNER TO ${OWNER_ROLE}`);
    // Roles made by the superuser in older installs: the owner may grant them on.
    for (const role of GROUP_ROLES) {
      if (await roleExists(tx, role)) await tx.unsafe(`GRANT ${role} TO ${OWNER_ROLE} WITH ADMIN OPTION`);
    }
  });
  return urlForRole(superUrl, OWNER_ROLE, ownerPassword);
}

// As a role that may create roles (the owner, after migrations created the group
// roles): the runtime login role, switched to the group roles but inheriting none.
export async function ensureRuntimeRole(ownerUrl: string, password: string): Promise<string> {
  await underRoleLock(ownerUrl, async (tx) => {
    const verb = (await roleExists(tx, RUNTIME_ROLE)) ? "ALTER" : "CREATE";
    // Only these attributes: a non-superuser may not even state NOSUPERUSER or
    // NOBYPASSRLS, which are the defaults; runtimeRoleProblems() checks them all.
    await tx.unsafe(`${verb} ROLE ${RUNTIME_ROLE} WITH LOGIN NOINHERIT PASSWORD ${literal(password)}`);
    await tx.unsafe(`GRANT ${GROUP_ROLES.join(", ")} TO ${RUNTIME_ROLE}`);
  });
  return urlForRole(ownerUrl, RUNTIME_ROLE, password);
}

// What makes a login role unfit to be the app's runtime connection; empty when fit.
export async function runtimeRoleProblems(url: string): Promise<{ role: string; problems: string[] }> {
  const sql = connect(url);
  try {
    const [me] = await sql<{ role: string; superuser: boolean; bypassrls: boolean; owns: number; createrole: boolean }[]>`
      select r.rolname as role, r.rolsuper as superuser, r.rolbypassrls as bypassrls, r.rolcreaterole as createrole,
        (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relowner = r.oid and n.nspname in ('public', 'drizzle')) as owns
      from pg_roles r where r.rolname = current_user`;
    const problems: string[] = [];
    if (me!.superuser) problems.push("is a superuser (superusers ignore row-level security)");
    if (me!.bypassrls) problems.push("has BYPASSRLS");
    if (me!.createrole) problems.push("has CREATEROLE");
    if (me!.owns > 0) problems.push(`owns ${me!.owns} of the app's tables (an owner can switch row-level security off)`);
    for (const role of GROUP_ROLES) {
      const [row] = await sql<{ inherits: boolean | null; member: boolean | null }[]>`
        select pg_has_role(current_user, oid, 'USAGE') as inherits, pg_has_role(current_user, oid, 'MEMBER') as member
        from pg_roles where rolname = ${role}`;
      if (!row) continue; // before the first migration
      if (row.inherits && !me!.superuser) problems.push(`inherits the privileges of ${role} (make the login role NOINHERIT)`);
      if (!row.member) problems.push(`cannot switch to ${role} (GRANT ${role} TO ${me!.role})`);
    }
    return { role: me!.role, problems };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
