// A person's control over their own account: sign out everywhere, export
// everything, delete everything.
import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import { recordEvent } from "@/lib/audit/service";
import { revokeAllCredentials } from "@/lib/auth/revocation";
import { checkCredentialsThrottled, type SignInOrigin } from "@/lib/auth/throttle";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { toPublicJob } from "@/lib/jobs/public";
import { deleteAllJobs, listJobs } from "@/lib/jobs/queries";
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

// A zip of the person's images and a JSON of their jobs, streamed page by page.
export function exportAccount(userId: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        controller.enqueue(chunk);
        if (final) controller.close();
      });
      try {
        const jobs = [];
        let after: { createdAt: Date; id: string } | undefined;
        while (true) {
          const page = await listJobs({ userId, limit: 100, after });
          for (const row of page) {
            jobs.push(toPublicJob(row));
            if (row.status === "completed" && row.imageKey) {
              const bytes = await getStorage().get(row.imageKey);
              if (!bytes) continue;
              const file = new ZipPassThrough(`images/${row.id}.${row.imageKey.split(".").pop()}`);
              zip.add(file);
              file.push(bytes, true);
            }
          }
          if (page.length < 100) break;
          const last = page.at(-1)!;
          after = { createdAt: last.createdAt, id: last.id };
        }
        const manifest = new ZipPassThrough("jobs.json");
        zip.add(manifest);
        manifest.push(new TextEncoder().encode(JSON.stringify({ jobs }, null, 2)), true);
        zip.end();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
