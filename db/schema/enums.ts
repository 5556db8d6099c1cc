import { pgEnum } from "drizzle-orm/pg-core";

// Every enum of the domain in one place so the schema files read as tables only.
export const identityKind = pgEnum("identity_kind", ["human", "service_account", "api_client", "ai_agent"]);
export const identityStatus = pgEnum("identity_status", ["active", "leaver", "disabled"]);
export const employmentType = pgEnum("employment_type", ["employee", "contractor", "intern", "vendor"]);
export const consoleRole = pgEnum("console_role", ["analyst", "manager", "approver", "executive", "admin"]);
/** Machine clients (bearer tokens, lib/edge/machine.ts): SCIM provisioning clients, Shared Signals receivers. */
export const machineClientKind = pgEnum("machine_client_kind", ["provisioning", "ssf_receiver", "audit_monitor"]);

export const systemCategory = pgEnum("system_category", [
  "directory",
  "sso",
  "saas",
  "infrastructure",
  "pam",
  "mdm",
  "api_gateway",
  "database",
  "code_host",
  "hr",
]);
export const criticality = pgEnum("criticality", ["low", "medium", "high", "critical"]);
export const connectorKind = pgEnum("connector_kind", ["scim", "oauth", "webhook", "manual"]);
export const deprovisionMode = pgEnum("deprovision_mode", ["deactivate", "delete"]);
export const accountStatus = pgEnum("account_status", ["active", "disabled", "deleted"]);
/** `discovered`: found at the system by a reconciliation (lib/reconciliation), not granted through Lockstep. */
export const grantSource = pgEnum("grant_source", ["birthright", "request", "review", "break_glass", "discovered"]);

export const devicePlatform = pgEnum("device_platform", ["macos", "windows", "linux", "ios", "android"]);

export const authenticatorType = pgEnum("authenticator_type", [
  "password",
  "security_questions",
  "email_otp",
  "push_approve",
  "sms_otp",
  "voice_otp",
  "totp",
  "hardware_otp",
  "push_number_match",
  "recovery_codes",
  "helpdesk_proofed",
  "helpdesk_unverified",
  "passkey_synced",
  "passkey_device_bound",
  "security_key",
  "piv",
  "in_person_proofing",
]);
export const authenticatorUsage = pgEnum("authenticator_usage", ["primary", "recovery"]);
export const authenticatorStatus = pgEnum("authenticator_status", ["active", "revoked", "expired"]);

export const credentialKind = pgEnum("credential_kind", [
  "api_key",
  "personal_access_token",
  "oauth_client",
  "oauth_grant",
  "service_account_key",
  "ssh_key",
]);
export const credentialStatus = pgEnum("credential_status", ["active", "revoked", "expired"]);
export const httpMethod = pgEnum("http_method", ["GET", "POST", "PUT", "PATCH", "DELETE"]);
export const dataClass = pgEnum("data_class", [
  "pii",
  "credentials",
  "financial",
  "health",
  "internal",
  "private_messages",
]);

export const leaverReason = pgEnum("leaver_reason", ["voluntary", "involuntary", "layoff", "contract_end"]);
export const slaAnchor = pgEnum("sla_anchor", ["effective_time", "end_of_last_day"]);
export const leaverCaseStatus = pgEnum("leaver_case_status", ["open", "in_progress", "closed", "reopened"]);
export const leaverBatchSource = pgEnum("leaver_batch_source", ["hr_import", "manual", "scim"]);
/** What a remediation task does at a connected system (lib/remediation). */
export const remediationAction = pgEnum("remediation_action", [
  "disable_account",
  "delete_account",
  "end_sessions",
  "remove_device_trust",
  "add_grant",
  "remove_grant",
  "revoke_credential",
  "reduce_scopes",
  "remove_recovery_factor",
  "transfer_ownership",
]);
export const remediationState = pgEnum("remediation_state", [
  "pending",
  "running",
  "done",
  "verified",
  "failed",
  "waived",
]);
/** Who asked for a remediation task: the origin owns it (a leaver case closes when its tasks are finished…). */
export const remediationOrigin = pgEnum("remediation_origin", [
  "leaver_case",
  "review_item",
  "break_glass",
  "credential_page",
  "drift",
]);
/** Through the system's connector, by hand with evidence, or as an ownership handover inside Lockstep. */
export const remediationMode = pgEnum("remediation_mode", ["connector", "manual", "handover"]);
export const driftOutcome = pgEnum("drift_outcome", ["held", "drifted", "error"]);

export const campaignKind = pgEnum("campaign_kind", ["access", "api_scope"]);
export const campaignStatus = pgEnum("campaign_status", ["draft", "active", "closed"]);
export const noResponsePolicy = pgEnum("no_response_policy", ["keep", "revoke", "escalate"]);
export const reviewDecision = pgEnum("review_decision", ["keep", "revoke", "reduce", "dont_know"]);
/** What the product suggests for an item, computed in SQL at launch (lib/reviews/generate.ts). */
export const reviewRecommendation = pgEnum("review_recommendation", ["keep", "revoke", "reduce", "look_closely"]);
/** Why this reviewer got the item: the natural one, the fallback, an escalation or a delegation. */
export const reviewerRelation = pgEnum("reviewer_relation", [
  "manager",
  "owner",
  "system_owner",
  "fallback",
  "escalation",
  "delegate",
]);
export const decisionSource = pgEnum("decision_source", ["reviewer", "bulk", "policy"]);
export const reviewCadence = pgEnum("review_cadence", ["monthly", "quarterly", "semiannual", "yearly"]);

export const breakGlassKind = pgEnum("break_glass_kind", ["account_recovery", "emergency_access"]);
export const breakGlassStatus = pgEnum("break_glass_status", [
  "pending",
  "approved",
  "denied",
  "active",
  "expired",
  "revoked",
  "cancelled",
  /** The subject said "this wasn't me": whatever it granted was ended and the approvers alerted. */
  "disputed",
]);
/** Why break-glass is asked for: the list on the request form (free text adds the detail). */
export const breakGlassReason = pgEnum("break_glass_reason", [
  "lost_factor",
  "factor_outage",
  "locked_out",
  "incident_response",
  "production_fix",
  "security_investigation",
  "other",
]);
export const approvalDecision = pgEnum("approval_decision", ["approve", "deny"]);

export const outboxState = pgEnum("outbox_state", ["pending", "delivered", "dead"]);
export const credentialHandleKind = pgEnum("credential_handle_kind", ["token", "registration"]);

export const importSource = pgEnum("import_source", ["ui", "cli"]);
export const importRunStatus = pgEnum("import_run_status", [
  "parsing",
  "previewed",
  "applying",
  "applied",
  "failed",
  "discarded",
]);
export const importRowStatus = pgEnum("import_row_status", ["ok", "error", "skipped"]);

/** The WebAuthn ceremonies a console challenge is issued for (db/schema/console-auth.ts). */
export const webauthnCeremony = pgEnum("webauthn_ceremony", ["register", "sign_in", "step_up"]);

/** A reconciliation run of a SCIM-connected system (lib/reconciliation). */
export const reconciliationStatus = pgEnum("reconciliation_status", ["queued", "running", "done", "failed"]);
export const reconciliationTrigger = pgEnum("reconciliation_trigger", ["manual", "schedule"]);
/** What a run lists for people to act on: accounts nobody matches, and leavers' accounts still active there. */
export const reconciliationFindingKind = pgEnum("reconciliation_finding_kind", ["uncorrelated", "leaver_live"]);
