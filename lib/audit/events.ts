// The audit log a person can read about their own account: sign-ins, refresh
// token reuse alarms, bursts of failed sign-ins, deletions and admin actions.
// Rows are user-owned and protected by RLS like jobs.
import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { withUser } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { errorText, logger } from "@/lib/log";

export type AuditEvent =
  | "sign_in"
  | "sign_in_failures_blocked"
  | "refresh_token_reuse"
  | "sessions_revoked"
  | "job_deleted"
  | "account_disabled_by_admin"
  | "export_downloaded"
  | "session_ended"
  | "role_granted"
  | "role_revoked";

type Detail = Record<string, string | number | boolean | null>;

export async function recordEvent(userId: string, event: AuditEvent, detail: Detail = {}, ip: string | null = null): Promise<void> {
  try {
    await withUser(userId, (tx) => tx.insert(auditEvents).values({ userId, event, detail, ip }));
  } catch (error) {
    // The audit log must not turn a successful action into a failed one; it is logged instead.
    logger.error({ event: "audit_write_failed", audit_event: event, error: errorText(error) });
  }
}

export async function listEvents(userId: string, limit: number, before?: Date) {
  const rows = await withUser(userId, (tx) =>
    tx
      .select({ id: auditEvents.id, event: auditEvents.event, detail: auditEvents.detail, ip: auditEvents.ip, createdAt: auditEvents.createdAt })
      .from(auditEvents)
      .where(and(eq(auditEvents.userId, userId), before ? lt(auditEvents.createdAt, before) : undefined))
      // NULLS LAST, exactly like the index, so the newest entries are read straight from it.
      .orderBy(sql`${auditEvents.createdAt} desc nulls last`)
      .limit(limit),
  );
  return rows.map((r) => ({ id: r.id, event: r.event, detail: r.detail, ip: r.ip, created_at: r.createdAt.toISOString() }));
}
