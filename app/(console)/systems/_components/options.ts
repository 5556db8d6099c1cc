import { humanize } from "@/components/ui/status";
import { connectorKind, criticality, deprovisionMode, systemCategory } from "@/db/schema/enums";

const CONNECTOR_LABEL: Record<(typeof connectorKind.enumValues)[number], string> = {
  scim: "SCIM 2.0",
  oauth: "OAuth 2.0 (RFC 7009 / 7662 / 7592)",
  webhook: "Signed webhook",
  manual: "Manual with evidence",
};

/** The choices of the system form (server side: the enums stay out of the browser bundle). */
export const SYSTEM_FORM_OPTIONS = {
  category: systemCategory.enumValues.map((c) => ({ value: c, label: humanize(c) })),
  criticality: criticality.enumValues.map((c) => ({ value: c, label: humanize(c) })),
  connectorKind: connectorKind.enumValues.map((c) => ({ value: c, label: CONNECTOR_LABEL[c] })),
  deprovisionMode: deprovisionMode.enumValues.map((m) => ({
    value: m,
    label: m === "deactivate" ? "Deactivate the user (active=false)" : "Delete the user",
  })),
};
