export { type AuditInput, writeAudit, writeAuditMany } from "./write";
