// `npm run admin -- grant <email> | revoke <email> | list`: the only way to make
// or unmake an administrator. `npm run admin -- model restrict <id> everyone|admins|<email,…>`,
// `model cost <id> <n>` and `model list`: who may use a model of the catalog
// (IMAGE_MODELS) and how many images of the daily quota one of its images counts for. Roles live in the database, and the app's own
// database role cannot change them (no UPDATE grant on users.role), so no
// request to the public API can: an operator with the owner's access must.
// Connects as the owner: MIGRATIONS_DATABASE_URL, else DATABASE_URL, else the
// embedded database of DATA_DIR (the running one, or started just for this).

import type postgres from "postgres";
import { runningEmbeddedPort, startEmbeddedDatabase } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { derivedPassword, OWNER_ROLE, prepareEmbeddedOwner, urlForRole } from "../db/roles";
import { connectPostgres } from "../db/url";
import { loadOrCreateSecrets } from "../lib/secrets";

const [command, email, ...rest] = process.argv.slice(2);
const usage =
  "usage: npm run admin -- grant <email> | revoke <email> | list | model restrict <model> everyone|admins|<email,…> | model cost <model> <1-100> | model list";

async function ownerUrl(): Promise<{ url: string; stop?: () => Promise<void> }> {
  const external = process.env.MIGRATIONS_DATABASE_URL || process.env.DATABASE_URL;
  if (external) return { url: external };
  const dataDir = process.env.DATA_DIR || ".data";
  const { databasePassword } = loadOrCreateSecrets(dataDir);
  const ownerPassword = derivedPassword(databasePassword, OWNER_ROLE);
  const port = runningEmbeddedPort(dataDir);
  if (port) return { url: urlForRole(`postgres://x@127.0.0.1:${port}/postgres`, OWNER_ROLE, ownerPassword) };
  const embedded = await startEmbeddedDatabase({ dataDir, password: databasePassword });
  const url = await prepareEmbeddedOwner(embedded.url, ownerPassword);
  await runMigrations(url);
  return { url, stop: embedded.stop };
}

// The change is written to the person's own activity log, as the app writes it
// (darkroom_app with their id set), so they can see who they became.
async function setRole(sql: postgres.Sql, address: string, role: "admin" | "user"): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [user] = await tx<{ id: string }[]>`update users set role = ${role} where lower(email) = lower(${address}) returning id`;
    if (!user) return false;
    await tx`select set_config('role', 'darkroom_app', true), set_config('app.user_id', ${user.id}, true)`;
    const event = role === "admin" ? "role_granted" : "role_revoked";
    await tx`insert into audit_events (user_id, event, detail) values (${user.id}, ${event}, ${tx.json({ role, by: "operator" })})`;
    return true;
  });
}

// Model access rules. People are stored by account id (the app compares ids and
// never handles a list of addresses), so each must have registered first.
async function modelCommand(sql: postgres.Sql, action: string | undefined, model: string | undefined, value: string | undefined): Promise<number> {
  if (action === "list") {
    const rows = await sql<{ model: string; access: string; people: string[]; cost: number }[]>`
      select m.model, m.access, m.cost, coalesce(array_agg(u.email order by lower(u.email)) filter (where u.email is not null), '{}') as people
      from model_access m left join users u on u.id = any(m.people) group by m.model order by m.model`;
    console.log(
      rows.length
        ? rows.map((r) => `${r.model}\t${r.access === "people" ? r.people.join(",") : r.access}\tcost ${r.cost}`).join("\n")
        : "(every model open to everyone, cost 1)",
    );
    return 0;
  }
  if (!model || !value) return usage_();
  if (action === "cost") {
    const cost = Number(value);
    if (!Number.isInteger(cost) || cost < 1 || cost > 100) return usage_();
    await sql`insert into model_access (model, cost) values (${model}, ${cost}) on conflict (model) do update set cost = excluded.cost, updated_at = now()`;
    console.log(`One image of ${model} now counts as ${cost} against the daily quota.`);
    return 0;
  }
  if (action !== "restrict") return usage_();
  if (value === "everyone" || value === "admins") {
    await sql`insert into model_access (model, access, people) values (${model}, ${value}, '{}') on conflict (model) do update set access = excluded.access, people = '{}', updated_at = now()`;
    console.log(value === "everyone" ? `${model} is open to everyone.` : `${model} is limited to administrators.`);
    return 0;
  }
  const emails = value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const found = await sql<{ id: string; email: string }[]>`select id, email from users where lower(email) in ${sql(emails.map((e) => e.toLowerCase()))}`;
  const missing = emails.filter((e) => !found.some((f) => f.email.toLowerCase() === e.toLowerCase()));
  if (missing.length > 0) {
    console.error(`No account with the email ${missing.join(", ")}: each person must register first.`);
    return 1;
  }
  const ids = found.map((f) => f.id);
  await sql`insert into model_access (model, access, people) values (${model}, 'people', ${ids}::uuid[]) on conflict (model) do update set access = 'people', people = excluded.people, updated_at = now()`;
  console.log(`${model} is limited to ${emails.join(", ")}.`);
  return 0;
}

function usage_(): number {
  console.error(usage);
  return 2;
}

async function main(): Promise<number> {
  if (command === "model") {
    if (!email || (email !== "list" && rest.length < 2)) return usage_();
    const { url, stop } = await ownerUrl();
    const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
    try {
      return await modelCommand(sql, email, rest[0], rest[1]);
    } finally {
      await sql.end({ timeout: 5 });
      await stop?.();
    }
  }
  if (command !== "list" && !((command === "grant" || command === "revoke") && email)) {
    console.error(usage);
    return 2;
  }
  const { url, stop } = await ownerUrl();
  const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    if (command === "list") {
      const admins = await sql<{ email: string }[]>`select email from users where role = 'admin' order by lower(email)`;
      console.log(admins.length ? admins.map((a) => a.email).join("\n") : "(no administrators)");
      return 0;
    }
    const changed = await setRole(sql, email!, command === "grant" ? "admin" : "user");
    if (!changed) {
      console.error(`No account with the email ${email}: the person must register first.`);
      return 1;
    }
    console.log(command === "grant" ? `${email} is now an administrator.` : `${email} is no longer an administrator.`);
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
    await stop?.();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
