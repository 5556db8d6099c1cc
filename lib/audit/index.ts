export { writeAudit, type AuditInput } from "./write";
export { verifyAuditChain, type ChainVerification } from "./verify";
