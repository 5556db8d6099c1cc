/** Words for the leaver domain's codes, shared by pages, exports and the report. */
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
