// A person's control over their own account: sign out everywhere, export
// everything, delete everything.
import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import { recordEvent } from "@/lib/audit/service";
import { revokeAllCredentials } from "@/lib/auth/revocation";
import { checkCredentialsThrottled, type SignInOrigin } from "@/lib/auth/throttle";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { withParameters } from "@/lib/images/parameters";
import { listImagesOfJobs } from "@/lib/images/queries";
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
// Image 0 of a job is `images/<job id>.<ext>` as before; image i is `<job id>-<i+1>`.
// The files are the stored, metadata-free ones unless the person asks for the
// prompt and settings inside them (`parameters`), as with a single download.
export function exportAccount(userId: string, options: { parameters?: boolean } = {}): ReadableStream<Uint8Array> {
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
          const images = await listImagesOfJobs({ userId, jobIds: page.filter((r) => r.status === "completed").map((r) => r.id) });
          for (const row of page) {
            jobs.push(toPublicJob(row, images));
            if (row.status !== "completed") continue;
            for (const image of images.filter((i) => i.jobId === row.id).sort((a, b) => a.index - b.index)) {
              const bytes = await getStorage().get(image.imageKey);
              if (!bytes) continue;
              const file = { bytes, contentType: image.contentType, filename: image.imageKey };
              const out = options.parameters ? await withParameters(file, row, image) : file;
              const name = `images/${row.id}${image.index === 0 ? "" : `-${image.index + 1}`}.${out.filename.split(".").pop()}`;
              const entry = new ZipPassThrough(name);
              zip.add(entry);
              entry.push(out.bytes, true);
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
