// A person's control over their own account: sign out everywhere, export
// everything (lib/account/export.ts), delete everything.
import "server-only";
import { recordEvent } from "@/lib/audit/events";
import { revokeAllRefreshTokens } from "@/lib/auth/refresh-tokens";
import { checkCredentialsThrottled } from "@/lib/auth/throttle";
import { AppError } from "@/lib/http/errors";
import { deleteAllJobs } from "@/lib/jobs/queries";
import { getStorage } from "@/lib/storage";
import { deleteUserRow, invalidateCredentials, type PublicUser } from "@/lib/users/queries";

export async function signOutEverywhere(userId: string, address: string): Promise<void> {
  // Sessions and access tokens carry their issue time; everything before now is refused.
  await invalidateCredentials(userId);
  await revokeAllRefreshTokens(userId);
  await recordEvent(userId, "sessions_revoked", {}, address);
}

export async function deleteAccount(user: PublicUser, password: string, address: string): Promise<void> {
  // Re-authentication: a stolen session alone cannot erase someone's work.
  try {
    await checkCredentialsThrottled(user.email, password, address);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") throw new AppError("forbidden", "The password is incorrect");
    throw error;
  }
  // Credentials die first, so nothing can act for this person while the rest goes.
  await invalidateCredentials(user.id, { disable: true });
  await deleteAllJobs(user.id); // queued work is gone with its rows: a runner finds nothing to claim
  await getStorage().deletePrefix(`users/${user.id}/`);
  await deleteUserRow(user.id); // cascades to refresh tokens and the audit log
}
