// A person's control over their own account: sign out everywhere, export
// everything (lib/account/export.ts), delete everything.
import "server-only";
import { recordEvent } from "@/lib/audit/service";
import { revokeAllCredentials } from "@/lib/auth/revocation";
import { checkCredentialsThrottled, type SignInOrigin } from "@/lib/auth/throttle";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { deleteAllJobs } from "@/lib/jobs/queries";
import { getStorage } from "@/lib/storage";
import { deleteUserRow, type PublicUser } from "@/lib/users/queries";

export async function signOutEverywhere(userId: string, address: string | null): Promise<void> {
  // Every session, access and refresh token issued before now is refused, in one locked transaction.
  await revokeAllCredentials(userId);
  await recordEvent(userId, "sessions_revoked", {}, address);
}

export async function deleteAccount(user: PublicUser, password: string, origin: SignInOrigin): Promise<void> {
  // Re-authentication: a stolen session alone cannot erase someone's work.
  try {
    await checkCredentialsThrottled(user.email, password, origin);
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw new ForbiddenError("The password is incorrect");
    throw error;
  }
  // Credentials die first, so nothing can act for this person while the rest goes.
  await revokeAllCredentials(user.id, { disable: true });
  await deleteAllJobs(user.id); // queued work is gone with its rows: a runner finds nothing to claim
  await getStorage().deletePrefix(`users/${user.id}/`);
  await deleteUserRow(user.id); // cascades to refresh tokens and the audit log
}
