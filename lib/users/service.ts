// Registration and credential checks.
import "server-only";
import { z } from "zod";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { ConflictError } from "@/lib/errors";
import { isCleanText } from "@/lib/text";
import { findAccount, findSignInCandidate, insertUser, type PublicUser } from "./queries";
import { consumeSignupAttempt } from "./signup-throttle";

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("must be a valid email address"));
export const passwordSchema = z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters");

export const registerSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z
    .string()
    .trim()
    .max(100, "must be at most 100 characters")
    .optional()
    .transform((v) => v || null),
});

export const credentialsSchema = z.object({
  email: z.string().max(254),
  password: z.string().max(128),
});

// `address` is the client's (null when it cannot be trusted): the attempt is
// counted against the sign-up limits before any hashing happens.
export async function registerUser(input: z.infer<typeof registerSchema>, address: string | null): Promise<PublicUser> {
  await consumeSignupAttempt(address);
  const passwordHash = await hashPassword(input.password);
  const user = await insertUser({ email: input.email, name: input.name, passwordHash });
  if (!user) throw new ConflictError("An account with this email already exists");
  return user;
}

// Same answer, and about the same time, for an unknown email and a wrong password.
// A disabled account fails like a wrong password (after the same hashing work).
export async function checkCredentials(email: string, password: string): Promise<PublicUser | null> {
  // Auth.js's own callback endpoint parses its form itself: refuse control characters here too.
  if (!isCleanText(email) || !isCleanText(password)) return null;
  const candidate = await findSignInCandidate(email.trim());
  const valid = await verifyPassword(candidate?.passwordHash, password);
  if (!candidate || !valid || candidate.disabled) return null;
  const account = await findAccount(candidate.id);
  return account ? { id: account.id, email: account.email, name: account.name } : null;
}
