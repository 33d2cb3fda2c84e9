// What administrators may do: see accounts with their job counts and status,
// and disable an account. Never another person's prompts or images (see queries.ts).
import "server-only";
import { recordEvent } from "@/lib/audit/service";
import { revokeAllCredentials } from "@/lib/auth/revocation";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { type PublicAccount, toPublicAccount } from "./public";
import * as queries from "./queries";

export async function listUsers(limit: number, afterId?: string): Promise<{ users: PublicAccount[]; next_cursor: string | null }> {
  if (afterId !== undefined && !isUuid(afterId)) throw new InvalidInputError("cursor", "not a cursor returned by this API");
  // One extra row tells whether another page exists without a COUNT.
  const accounts = await queries.listAccounts({ limit: limit + 1, afterId });
  const page = accounts.slice(0, limit);
  const counts = await queries.countJobsByOwner(page.map((a) => a.id));
  return {
    users: page.map((a) =>
      toPublicAccount(
        a,
        counts.filter((c) => c.userId === a.id),
      ),
    ),
    next_cursor: accounts.length > limit ? page.at(-1)!.id : null,
  };
}

const userNotFound = () => new NotFoundError("User not found");

export async function disableUser(adminId: string, targetId: string, address: string | null): Promise<void> {
  if (!isUuid(targetId)) throw userNotFound();
  if (targetId.toLowerCase() === adminId) throw new ConflictError("You cannot disable your own account");
  if (!(await revokeAllCredentials(targetId, { disable: true }))) throw userNotFound();
  await recordEvent(targetId, "account_disabled_by_admin", { admin_id: adminId }, address);
}
