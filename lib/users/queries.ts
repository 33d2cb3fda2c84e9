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

export async function findUserById(id: string): Promise<PublicUser | undefined> {
  const rows = await systemDb().select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
  return rows[0];
}
