// What a request about the account itself may contain.
import { z } from "zod";

// DELETE /api/account: the password again, so a stolen session alone cannot delete the account.
export const deleteAccountInput = z.object({ password: z.string({ error: "is required" }).min(1, "is required").max(128) });
export type DeleteAccountInput = z.infer<typeof deleteAccountInput>;
