import { Download } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckpointStampLine } from "@/components/audit/checkpoint-stamp";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { latestCheckpoint } from "@/lib/audit/checkpoint";
import { REASON_LABELS } from "@/lib/leavers/labels";
import { revocationReport } from "@/lib/leavers/report";
import { caseInput } from "@/lib/leavers/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { PrintButton } from "../_components/print-button";

export const metadata: Metadata = { title: "Revocation report" };

// Fixed widths so every system's table lines up on paper.
const COLUMNS = [
  { label: "What", width: "14%" },
  { label: "Item", width: "28%" },
  { label: "Executed", width: "12%" },
  { label: "Verified", width: "12%" },
  { label: "Connector", width: "14%" },
  { label: "How verified / waiver", width: "20%" },
];

/** Printable evidence for auditors: per system, what was revoked, when, by which connector, how verified. */
export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = caseInput.safeParse({ caseId: (await params).id });
  if (!parsed.success) notFound();
  const ctx = await pageContext("leavers.read");
  const report = await orNotFound(revocationReport(ctx, parsed.data.caseId));
  const [tz, stamp] = await Promise.all([viewerTimeZone(), latestCheckpoint()]);
  const { header: h, lines, systems, complete } = report;
  return (
    <article className="report">
      <style>
        {
          "@media print { aside, body header.sticky, nav[aria-label=Breadcrumb], .no-print { display: none !important } main { max-width: none !important; padding: 0 !important } .report section { break-inside: avoid } }"
        }
      </style>
      <PageHeader
        crumbs={[
          { label: "Leavers", href: "/leavers" },
          { label: `Case #${h.id}`, href: `/leavers/${h.id}` },
          { label: "Revocation report" },
        ]}
        title={`Revocation report — ${h.person}`}
        description={`Case #${h.id} · ${REASON_LABELS[h.reason]} · effective ${formatDateTime(h.effectiveAt, tz)} · ${systems.length} systems · generated ${formatDateTime(ctx.now, tz)} by ${ctx.actor.name}`}
        meta={
          <>
            {h.status === "closed" ? (
              <Badge tone="success">Closed {formatDateTime(h.closedAt, tz)}</Badge>
            ) : (
              <Badge tone="warning">Case not closed ({h.status.replace("_", " ")})</Badge>
            )}
            {complete ? (
              <Badge tone="success">Every item verified or waived</Badge>
            ) : (
              <Badge tone="danger">Items outstanding</Badge>
            )}
            <span className="text-xs text-slate-500">Times in {tz}; the CSV is in UTC.</span>
            <span className="text-xs text-slate-500">
              Latest signed audit checkpoint: <CheckpointStampLine stamp={stamp} tz={tz} />
            </span>
          </>
        }
        actions={
          <div className="no-print flex gap-2">
            <PrintButton />
            <a href={`/api/leavers/${h.id}/report`} className={buttonClasses("primary")} download>
              <Download className="size-4" aria-hidden /> Download CSV
            </a>
          </div>
        }
      />
      {systems.map((system) => {
        const rows = lines.filter((l) => l.system === system);
        return (
          <section
            key={system}
            className="mb-4 rounded-lg border border-slate-200 bg-white shadow-xs"
            aria-label={`Revocations on ${system}`}
          >
            <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-900">{system}</h2>
            <table className="w-full table-fixed text-left text-xs">
              <colgroup>
                {COLUMNS.map((c) => (
                  <col key={c.label} style={{ width: c.width }} />
                ))}
              </colgroup>
              <thead className="bg-slate-50 text-slate-500">
                <tr>
                  {COLUMNS.map((c) => (
                    <th key={c.label} scope="col" className="px-3 py-1.5 font-medium">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((l) => (
                  <tr key={l.taskId} className="border-t border-slate-100 align-top">
                    <td className="px-3 py-1.5 font-medium whitespace-nowrap text-slate-800">{l.what}</td>
                    <td className="px-3 py-1.5 text-slate-700">{l.item}</td>
                    <td className="px-3 py-1.5 whitespace-nowrap">{formatDateTime(l.executedAt, tz)}</td>
                    <td className="px-3 py-1.5 whitespace-nowrap">
                      {l.state === "verified" ? (
                        formatDateTime(l.verifiedAt, tz)
                      ) : (
                        <span className={l.state === "waived" ? "text-violet-700" : "font-medium text-red-700"}>
                          {l.state}
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-1.5">{l.connector}</td>
                    <td className="px-3 py-1.5 text-slate-700">
                      {l.waiver ? <span className="text-violet-800">Waived — {l.waiver}</span> : l.howVerified}
                      {l.confirmedBy ? (
                        <span className="block text-slate-500">Confirmed by {l.confirmedBy}</span>
                      ) : null}
                      {l.evidence ? (
                        <span className="block text-slate-600" data-testid="evidence">
                          Evidence: {l.evidence}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </article>
  );
}
