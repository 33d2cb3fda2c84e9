// Accounts. The users table has row-level security like every person's data:
// the app reads and changes an account only inside that person's scope
// (`withUser`), and finds an account by email, before anyone is known, only
// through the narrow `darkroom_sign_in_lookup` function (migration 0006).
import "server-only";
import { randomUUID } from "node:crypto";
import { eq, type SQLWrapper, sql } from "drizzle-orm";
import { asApp, readAsUser, type Tx, withUser } from "@/db/client";
import { prebuilt } from "@/db/prebuilt";
import { users } from "@/db/schema";

export type Role = "user" | "admin";
export type PublicUser = { id: string; email: string; name: string | null };
export type Account = PublicUser & { role: Role; disabledAt: Date | null; tokensValidAfter: Date };

const accountColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabledAt: users.disabledAt,
  tokensValidAfter: users.tokensValidAfter,
};

// The id is chosen here so the insert runs inside the new person's own scope
// (the policy's WITH CHECK). A taken email inserts nothing: null. Written in SQL
// because an ORM insert names every column, and darkroom_app may insert only
// these four: never `role`, which keeps its default, "user".
export async function insertUser(input: { email: string; name: string | null; passwordHash: string }): Promise<PublicUser | null> {
  const id = randomUUID();
  const rows = await withUser(id, (tx) =>
    tx.execute<PublicUser>(sql`insert into users (id, email, name, password_hash) values (${id}, ${input.email}, ${input.name}, ${input.passwordHash})
      on conflict do nothing returning id, email, name`),
  );
  return rows[0] ?? null;
}

export type SignInCandidate = { id: string; passwordHash: string; disabled: boolean };

export async function findSignInCandidate(email: string): Promise<SignInCandidate | undefined> {
  const rows = await asApp((tx) =>
    tx.execute<{ id: string; password_hash: string; disabled: boolean }>(sql`select id, password_hash, disabled from darkroom_sign_in_lookup(${email})`),
  );
  const row = rows[0];
  return row ? { id: row.id, passwordHash: row.password_hash, disabled: row.disabled } : undefined;
}

const accountQuery = (tx: Tx, id: string | SQLWrapper) => tx.select(accountColumns).from(users).where(eq(users.id, id)).limit(1);

// The per-request account check's statement, built once (db/prebuilt.ts).
const accountById = prebuilt<{ id: string }, Account[]>((tx) => accountQuery(tx, sql.placeholder("id")));
export const readAccount = (tx: Tx, id: string): Promise<Account | undefined> => accountById(tx, { id }).then((rows) => rows[0]);

export async function selectAccount(tx: Tx, id: string, lock?: "update" | "share"): Promise<Account | undefined> {
  const query = accountQuery(tx, id);
  const rows = lock ? await query.for(lock) : await query;
  return rows[0];
}

// The per-request check that the caller still exists, is not disabled and was
// not signed out everywhere after their credential was issued: a fresh read of
// the row on every request (nothing cached), in the person's own scope, sent
// as one round trip.
export async function findAccount(id: string): Promise<Account | undefined> {
  const [account] = await readAsUser(id, (tx) => [readAccount(tx, id)]);
  return account;
}

export async function deleteUserRow(id: string): Promise<void> {
  // Cascades to every row the person owns (jobs, tokens, sessions, audit log).
  await withUser(id, (tx) => tx.delete(users).where(eq(users.id, id)));
}
