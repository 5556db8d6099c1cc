import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { utc } from "@/lib/csv";
import { ACTION_LABELS } from "@/lib/remediation/model";
import { getCase } from "./case-detail";

/**
 * The revocation report of a case, for auditors: per system, what was revoked, when, by which connector
 * (and whether it was a simulated stand-in), and how it was verified — or who waived it and why.
 */
type ReportLine = {
  taskId: number;
  system: string;
  what: string;
  item: string;
  state: string;
  executedAt: Date | null;
  verifiedAt: Date | null;
  connector: string;
  howVerified: string;
  confirmedBy: string;
  /** What the people who confirmed by hand entered: ticket and what they checked. */
  evidence: string;
  waiver: string;
};

export async function revocationReport(ctx: Ctx, caseId: number) {
  authorize(ctx.actor, "leavers.read");
  const { header, tasks } = await getCase(ctx, caseId);
  const lines: ReportLine[] = tasks.map((t) => ({
    taskId: t.id,
    system: t.system,
    what: ACTION_LABELS[t.action],
    item: t.targetLabel,
    state: t.state,
    executedAt: t.executedAt,
    verifiedAt: t.verifiedAt,
    connector: connectorLabel(t),
    howVerified: t.state === "verified" ? (t.verification ?? "") : "",
    confirmedBy: [t.confirmedBy, t.secondConfirmedBy].filter(Boolean).join(" and "),
    evidence: evidenceText(t.evidence),
    waiver: t.state === "waived" ? `${t.waivedBy ?? "?"}: ${t.waivedReason ?? ""}` : "",
  }));
  const systems = [...new Set(lines.map((l) => l.system))];
  const complete = tasks.every((t) => t.state === "verified" || t.state === "waived");
  return { header, lines, systems, complete };
}

type Confirmation = { name?: unknown; ticket?: unknown; note?: unknown };

/** A manual confirmation's evidence in words: "RITM0042001: badge deactivated (Avery Chen)", one per person. */
function evidenceText(evidence: Record<string, unknown> | null): string {
  if (!evidence) return "";
  const one = (c: Confirmation) =>
    [c.ticket ? String(c.ticket) : null, c.note ? String(c.note) : null].filter(Boolean).join(": ") +
    (c.name ? ` (${String(c.name)})` : "");
  const people = [evidence.first, evidence.second].filter(
    (c): c is Confirmation => typeof c === "object" && c !== null,
  );
  // The seed's history and earlier confirmations keep ticket and note at the top level.
  const parts = people.length ? people.map(one) : evidence.ticket || evidence.note ? [one(evidence)] : [];
  return parts.filter(Boolean).join("; ");
}

function connectorLabel(t: {
  mode: string;
  actedConnector: string | null;
  simulated: boolean;
  connectorKind: string;
}): string {
  if (t.mode === "handover") return "ownership handover";
  const kind = t.actedConnector ?? (t.mode === "manual" ? "manual" : t.connectorKind);
  const name =
    {
      scim: "SCIM 2.0",
      oauth: "OAuth 2.0 revocation (RFC 7009)",
      webhook: "signed webhook",
      manual: "manual with evidence",
      handover: "ownership handover",
    }[kind] ?? kind;
  return t.simulated ? `${name} — simulated` : name;
}

export const REPORT_CSV_HEADER = [
  "case_id",
  "person",
  "employee_number",
  "system",
  "what",
  "item",
  "state",
  "executed_at_utc",
  "verified_at_utc",
  "connector",
  "how_verified",
  "confirmed_by",
  "evidence",
  "waiver",
];

export async function* reportCsvRows(ctx: Ctx, caseId: number): AsyncGenerator<unknown[]> {
  const { header, lines } = await revocationReport(ctx, caseId);
  for (const l of lines) {
    yield [
      header.id,
      header.person,
      header.employeeNumber,
      l.system,
      l.what,
      l.item,
      l.state,
      utc(l.executedAt),
      utc(l.verifiedAt),
      l.connector,
      l.howVerified,
      l.confirmedBy,
      l.evidence,
      l.waiver,
    ];
  }
}
