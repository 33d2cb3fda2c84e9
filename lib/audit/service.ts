// The audit log a person can read about their own account: sign-ins, refresh
// token reuse alarms, bursts of failed sign-ins, deletions and admin actions.
// The smallest user-owned resource, and the worked example in docs/architecture.md.
import "server-only";
import { errorText, logger } from "@/lib/log";
import type { ListActivityInput } from "./input";
import { type PublicAuditEvent, toPublicAuditEvent } from "./public";
import * as queries from "./queries";

export type AuditEvent =
  | "sign_in"
  | "sign_in_failures_blocked"
  | "refresh_token_reuse"
  | "sessions_revoked"
  | "job_deleted"
  | "account_disabled_by_admin"
  | "export_downloaded"
  | "session_ended"
  | "api_key_created"
  | "api_key_revoked"
  | "role_granted"
  | "role_revoked"
  | "share_created"
  | "share_revoked"
  | "share_viewed";

export async function recordEvent(userId: string, event: AuditEvent, detail: queries.AuditDetail = {}, ip: string | null = null): Promise<void> {
  try {
    await queries.insertEvent({ userId, event, detail, ip });
  } catch (error) {
    // The audit log must not turn a successful action into a failed one; it is logged instead.
    logger.error({ event: "audit_write_failed", audit_event: event, error: errorText(error) });
  }
}

export async function listEvents(userId: string, limit: number, before?: Date): Promise<PublicAuditEvent[]> {
  return (await queries.listEvents({ userId, limit, before })).map(toPublicAuditEvent);
}

// GET /api/account/activity, from the parsed request.
export async function listActivity(userId: string, input: ListActivityInput): Promise<{ events: PublicAuditEvent[] }> {
  return { events: await listEvents(userId, input.limit, input.before ? new Date(input.before) : undefined) };
}
