export { type ChainVerification, verifyAuditChain } from "./verify";
export { type AuditInput, writeAudit, writeAuditMany } from "./write";
