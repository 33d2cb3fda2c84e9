// The public shape of an account as administrators see it.
import { type PublicJobCounts, toPublicJobCounts } from "@/lib/jobs/public";
import type { AccountRow } from "./queries";

export type PublicAccount = { id: string; email: string; status: "active" | "disabled"; created_at: string; jobs: PublicJobCounts };

export function toPublicAccount(account: AccountRow, counts: Parameters<typeof toPublicJobCounts>[0]): PublicAccount {
  return {
    id: account.id,
    email: account.email,
    status: account.disabledAt ? "disabled" : "active",
    created_at: account.createdAt.toISOString(),
    jobs: toPublicJobCounts(counts),
  };
}
