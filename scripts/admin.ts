// `npm run admin -- grant <email> | revoke <email> | list`: the only way to make
// or unmake an administrator. Roles live in the database, and the app's own
// database role cannot change them (no UPDATE grant on users.role), so no
// request to the public API can: an operator with the owner's access must.
// Connects as the owner: MIGRATIONS_DATABASE_URL, else DATABASE_URL, else the
// embedded database of DATA_DIR (the running one, or started just for this).

import postgres from "postgres";
import { runningEmbeddedPort, startEmbeddedDatabase } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { derivedPassword, OWNER_ROLE, prepareEmbeddedOwner, urlForRole } from "../db/roles";
import { loadOrCreateSecrets } from "../lib/secrets";

const [command, email] = process.argv.slice(2);
const usage = "usage: npm run admin -- grant <email> | revoke <email> | list";

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

async function main(): Promise<number> {
  if (command !== "list" && !((command === "grant" || command === "revoke") && email)) {
    console.error(usage);
    return 2;
  }
  const { url, stop } = await ownerUrl();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
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
