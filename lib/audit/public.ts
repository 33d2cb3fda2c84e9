// The public snake_case shape of an audit entry (GET /api/account/activity,
// the account page, the export). The owner's id never leaves the server.
import type { AuditRow } from "./queries";

export type PublicAuditEvent = { id: string; event: string; detail: AuditRow["detail"]; ip: string | null; created_at: string };

export function toPublicAuditEvent(row: Omit<AuditRow, "userId">): PublicAuditEvent {
  return { id: row.id, event: row.event, detail: row.detail, ip: row.ip, created_at: row.createdAt.toISOString() };
}
