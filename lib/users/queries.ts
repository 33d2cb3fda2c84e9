// Accounts. The users table is not user-owned data in the RLS sense (sign-in
// must find an account by email before anyone is known), so these run on the
// system connection and select only the columns they need.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { systemDb } from "@/db/client";
import { users } from "@/db/schema";

export type PublicUser = { id: string; email: string; name: string | null };

const publicColumns = { id: users.id, email: users.email, name: users.name };

export async function insertUser(input: { email: string; name: string | null; passwordHash: string }): Promise<PublicUser | null> {
  const rows = await systemDb().insert(users).values(input).onConflictDoNothing().returning(publicColumns);
  return rows[0] ?? null;
}

export async function findUserForSignIn(email: string) {
  const rows = await systemDb()
    .select({ ...publicColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return rows[0];
}

export type Account = PublicUser & { disabledAt: Date | null; tokensValidAfter: Date };

// The per-request check that the caller still exists, is not disabled and was
// not signed out everywhere after their credential was issued.
export async function findAccount(id: string): Promise<Account | undefined> {
  const rows = await systemDb()
    .select({ ...publicColumns, disabledAt: users.disabledAt, tokensValidAfter: users.tokensValidAfter })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return rows[0];
}

export async function invalidateCredentials(id: string, options: { disable?: boolean } = {}): Promise<boolean> {
  const rows = await systemDb()
    .update(users)
    .set({ tokensValidAfter: sql`now()`, ...(options.disable ? { disabledAt: sql`now()` } : {}) })
    .where(eq(users.id, id))
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function deleteUserRow(id: string): Promise<void> {
  await systemDb().delete(users).where(eq(users.id, id));
}
