/**
 * The one vocabulary of things that happen in Lockstep. A server action is named after the event it records; the
 * audit log, the outbox and the timelines use the same names (`area.verb`). Reads that change nothing are named
 * here too, marked `audited: false`, so every name at the edge is in one list.
 */
type EventSpec = {
  /** Shown in timelines and the audit log. */
  label: string;
  /** A state change (or a personal-data export) writes an audit event; a read does not. */
  audited: boolean;
};

const change = (label: string) => ({ label, audited: true }) as const;
const read = (label: string) => ({ label, audited: false }) as const;

export const EVENTS = {
  // Sign-in
  "auth.sign_in": change("Signed in"),
  // A refused sign-in: a failed passkey assertion (reason in metadata) or an identity without console access
  "auth.sign_in_denied": change("Sign-in refused"),
  "auth.sign_out": change("Signed out"),
  // Every console session of a person ended at once (their "sign out everywhere", a removed role, offboarding)
  "auth.sessions_end": change("Signed out everywhere"),
  "auth.step_up_start": read("Step-up started"),
  "auth.step_up": change("Stepped up with a passkey"),
  // A failed step-up assertion (the reason in metadata; the person is told only that it was not accepted)
  "auth.step_up_denied": change("Step-up refused"),
  // Console passkeys (lib/auth): a person's own, for signing in and stepping up
  "passkey.register_start": read("Passkey enrolment started"),
  "passkey.register": change("Passkey enrolled"),
  "passkey.rename": change("Passkey renamed"),
  "passkey.remove": change("Passkey removed"),
  // Leaver cases
  "leaver.open": change("Case opened"),
  "leaver.import": change("HR file imported"),
  "leaver.assign": change("Case assigned"),
  "leaver.close": change("Case closed"),
  "leaver.reopen": change("Case reopened (a revocation drifted, or live access was found)"),
  // Reconciliation found live access the (open) case had no task for: the tasks were added
  "leaver.tasks_added": change("Tasks added for live access found"),
  "leaver.cancel": change("Case called off (re-activated before it took effect)"),
  "leaver.drift_check": change("Revocations re-verified"),
  "leaver.search_owners": read("New owners searched"),
  "leaver.batch_progress": read("Batch progress read"),
  "leaver.report": change("Revocation report exported"),
  "leaver.export": change("Leaver queue exported"),
  // Remediation tasks (every origin)
  "remediation.request": change("Changes requested"),
  "remediation.queue": change("Queued for execution"),
  "remediation.retry": change("Retried"),
  "remediation.recheck": change("Queued for re-verification"),
  "remediation.execute": change("Executed"),
  "remediation.verify": change("Verified"),
  "remediation.fail": change("Attempt failed"),
  "remediation.confirm": change("Confirmed by hand"),
  "remediation.waive": change("Waived"),
  "remediation.handover": change("Ownership handed over"),
  "remediation.drift": change("Found undone (drift)"),
  "connector.circuit_open": change("System stopped answering: tasks wait for it"),
  "connector.circuit_close": change("System answers again: waiting tasks resumed"),
  // API scopes
  "api_scope.revoke": change("Credential revocation requested"),
  "api_scope.reduce_scopes": change("Scopes reduced"),
  "api_scope.assign_owner": change("Owner assigned"),
  "api_scope.set_expiry": change("Expiry set"),
  // Never with the value: which kind of handle, when, by whom
  "api_scope.register_handle": change("Revocation handle registered"),
  // An OAuth client's new secret, issued through RFC 7592 (shown once to the admin, never recorded)
  "api_scope.rotate_secret": change("Client secret rotated"),
  "api_scope.edit_endpoint": change("Endpoint edited"),
  "api_scope.import": change("OpenAPI document imported"),
  "api_scope.search_owners": read("Owners searched"),
  "api_scope.export": change("Credential inventory exported"),
  // Imports (lib/imports, every kind): a preview writes only its own run, so only applying is audited
  "import.start": read("Import started"),
  "import.upload": read("Import file read and checked"),
  "import.progress": read("Import progress read"),
  "import.rows": read("Import rows read"),
  "import.discard": read("Import preview discarded"),
  "import.apply": change("Import applied"),
  // The rows an import did not bring in, downloaded (they name people: an audited export)
  "import.report": change("Import error report exported"),
  "import.mapping_save": change("Import column mapping saved"),
  "account.import": change("Accounts and entitlements imported from a file"),
  "credential.import": change("Credentials imported from a file"),
  // Factors
  "factor.enroll": change("Factor enrolled"),
  "factor.revoke": change("Factor revoked"),
  "factor.export": change("Factor drill-down exported"),
  "factor.import": change("Factor export imported (Entra ID, Okta)"),
  // People and audit
  "people.export": change("People directory exported"),
  // Joiners, movers and changes of a person's record (inbound SCIM, the HR roster import)
  "people.join": change("Person joined"),
  "people.update": change("Person's record changed"),
  "people.move": change("Person moved (department, manager or title)"),
  "people.reactivate": change("Person re-activated"),
  "department.create": change("Department created"),
  // SCIM 2.0 service provider (lib/scim): what provisioning clients read and change beyond people's records
  "scim.user_read": read("SCIM Users read"),
  "scim.user_delete": change("SCIM User deleted"),
  "scim.group_read": read("SCIM Groups read"),
  "scim.group_create": change("SCIM Group created"),
  "scim.group_update": change("SCIM Group changed"),
  "scim.group_delete": change("SCIM Group deleted"),
  "scim.discovery": read("SCIM service provider configuration read"),
  "scim.token_create": change("Machine token created (provisioning client or audit monitor)"),
  "scim.token_revoke": change("Machine token revoked"),
  "audit.export": change("Audit log exported"),
  "audit.verify": read("Audit chain verified"),
  "audit.checkpoints": read("Audit checkpoints read"),
  // Access reviews
  "review.campaign_create": change("Campaign created"),
  "review.campaign_start": change("Campaign started"),
  "review.campaign_close": change("Campaign closed"),
  "review.decide": change("Item decided"),
  "review.delegate": change("Items delegated"),
  "review.remind": change("Reviewers reminded"),
  "review.escalate": change("Items escalated to the reviewer's manager"),
  "review.restore": change("Access restored within the rollback window"),
  "review.report": change("Campaign evidence exported"),
  "review.preview": read("Campaign scope previewed"),
  "review.inbox": read("Review inbox read"),
  "review.search_reviewers": read("Reviewers searched"),
  "review.schedule_create": change("Recurring campaign scheduled"),
  "review.schedule_update": change("Recurring campaign changed"),
  // Break-glass
  "break_glass.request": change("Break-glass requested"),
  "break_glass.approve": change("Break-glass approved"),
  "break_glass.deny": change("Break-glass denied"),
  "break_glass.activate": change("Break-glass activated"),
  "break_glass.expire": change("Break-glass expired"),
  "break_glass.revoke": change("Break-glass ended early"),
  "break_glass.cancel": change("Break-glass cancelled"),
  "break_glass.dispute": change("Break-glass disputed by its subject"),
  "break_glass.post_review": change("Break-glass post-incident review recorded"),
  "break_glass.pass_used": change("Enrolment pass used"),
  "break_glass.read": read("Break-glass request read"),
  "break_glass.search_subjects": read("People searched for an account recovery"),
  "break_glass.export": change("Break-glass requests exported"),
  "break_glass.preview_policy": read("Approver pool checked against a draft policy"),
  "notice.list": read("Notices read"),
  "notice.read": change("Notice marked read"),
  // Reconciliation of accounts and entitlements at SCIM-connected systems (lib/reconciliation)
  "reconciliation.request": change("Reconciliation requested"),
  "reconciliation.apply": change("Accounts and entitlements reconciled"),
  "reconciliation.fail": change("Reconciliation failed (nothing changed)"),
  "reconciliation.progress": read("Reconciliation progress read"),
  "reconciliation.export": change("Reconciliation findings exported"),
  // Administration
  "settings.update": change("Setting changed"),
  "sla.update": change("SLA policy changed"),
  "console_role.grant": change("Console role granted"),
  // Takes effect at once: every console session of the person ends in the same transaction
  "console_role.remove": change("Console role removed"),
  "console_role.search": read("People searched for a console role"),
  "system.create": change("System connected"),
  "system.search_owners": read("People searched to own a system"),
  "system.update": change("System settings changed"),
  // Calls the system's endpoint with its connector settings (no change there); what it answered is recorded
  "system.test_connection": change("Connection tested"),
} as const satisfies Record<string, EventSpec>;

export type EventName = keyof typeof EVENTS;
export type AuditedEventName = { [K in EventName]: (typeof EVENTS)[K]["audited"] extends true ? K : never }[EventName];

function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENTS, name);
}

/** Words for an event name, for timelines and the audit log (older names read as themselves, humanized). */
export function eventLabel(name: string): string {
  // Tasks were `revocation.*` before the remediation engine was shared; older events keep that name.
  const current = name.replace(/^revocation\./, "remediation.");
  if (isEventName(current)) return EVENTS[current].label;
  const words = name.replace(/[._]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
