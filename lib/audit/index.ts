export { writeAudit, writeAuditMany, type AuditInput } from "./write";
export { verifyAuditChain, type ChainVerification } from "./verify";
