// Deprecated: the audit log is now lib/audit/{queries,service,input,public}.ts.
// Kept only until lib/auth, lib/account and the account page import from
// "@/lib/audit/service"; delete it then.
export { type AuditEvent, listEvents, recordEvent } from "./service";
