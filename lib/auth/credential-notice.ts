// Tells every server process that a person's credentials changed (signed out
// everywhere, disabled, deleted, a session ended, an API key revoked), so their
// open event streams (lib/events) re-check their credential at once instead of
// at the next heartbeat. Inside the revoking transaction: sent at commit, so the
// re-check already sees the revocation, and never for a rolled-back one. The
// payload is the person's id only.
import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

export async function announceCredentialChange(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_notify('darkroom_credentials', ${userId})`);
}
