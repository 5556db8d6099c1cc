/** Words for the leaver domain's codes, shared by pages, exports and the report. */
export const KIND_LABELS: Record<string, string> = {
  disable_account: "Disable account",
  end_sessions: "End sessions",
  remove_device_trust: "Remove device trust",
  remove_grant: "Remove privileged grant",
  revoke_credential: "Revoke credential",
  remove_recovery_factor: "Remove recovery factor",
  transfer_nhi_ownership: "Hand over ownership",
};
export const humanizeKind = (kind: string) => KIND_LABELS[kind] ?? kind.replace(/_/g, " ");

export const REASON_LABELS: Record<string, string> = {
  voluntary: "Voluntary",
  involuntary: "Involuntary",
  layoff: "Layoff",
  contract_end: "Contract end",
};

export const CONNECTOR_LABELS: Record<string, string> = {
  scim: "SCIM",
  oauth: "OAuth",
  webhook: "Webhook",
  manual: "Manual",
};
