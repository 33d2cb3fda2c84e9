// Data access for the audit log. Like every user-owned table: each function
// takes the owner's id, runs inside `withUser` (RLS) and filters on user_id.
import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { withUser } from "@/db/client";
import { auditEvents } from "@/db/schema";

export type AuditDetail = Record<string, string | number | boolean | null>;
export type AuditRow = typeof auditEvents.$inferSelect;

export async function insertEvent(input: { userId: string; event: string; detail: AuditDetail; ip: string | null }): Promise<void> {
  await withUser(input.userId, (tx) => tx.insert(auditEvents).values(input));
}

// Newest first, `limit` entries older than `before`.
export async function listEvents(input: { userId: string; limit: number; before?: Date }): Promise<Omit<AuditRow, "userId">[]> {
  return withUser(input.userId, (tx) =>
    tx
      .select({ id: auditEvents.id, event: auditEvents.event, detail: auditEvents.detail, ip: auditEvents.ip, createdAt: auditEvents.createdAt })
      .from(auditEvents)
      .where(and(eq(auditEvents.userId, input.userId), input.before ? lt(auditEvents.createdAt, input.before) : undefined))
      // NULLS LAST, exactly like the index, so the newest entries are read straight from it.
      .orderBy(sql`${auditEvents.createdAt} desc nulls last`)
      .limit(input.limit),
  );
}
