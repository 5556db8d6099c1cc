import { ChevronRight, Download } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckpointStampLine } from "@/components/audit/checkpoint-stamp";
import { Badge } from "@/components/ui/badge";
import { ButtonLink, buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { latestCheckpoint } from "@/lib/audit/checkpoint";
import { campaignReport, type ReportLine, reportLines } from "@/lib/reviews/report";
import { DECISION_SOURCE_LABELS, POLICY_LABELS } from "@/lib/reviews/rules";
import { reportPageInput } from "@/lib/reviews/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { PrintButton } from "../../../leavers/[id]/_components/print-button";
import { KIND_LABELS } from "../../_components/kind-label";

export const metadata: Metadata = { title: "Review evidence" };

const PAGE = 500;

// Fixed widths so the item table lines up on paper.
const COLUMNS = [
  { label: "Item", width: "4%" },
  { label: "Subject and access", width: "19%" },
  { label: "Reviewer", width: "12%" },
  { label: "Recommendation", width: "14%" },
  { label: "Decision", width: "15%" },
  { label: "Justification", width: "17%" },
  { label: "Remediation", width: "19%" },
];

function duration(minutes: number | null): string {
  if (minutes === null) return "";
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.round(minutes / 1440)} days`;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Line({ l, tz }: { l: ReportLine; tz: string }) {
  const bySource = l.source ? DECISION_SOURCE_LABELS[l.source] : null;
  return (
    <tr className="border-t border-slate-100 align-top" data-testid="report-line">
      <td className="px-2 py-1.5 text-slate-500 tabular-nums">{l.id}</td>
      <td className="px-2 py-1.5">
        <span className="font-medium text-slate-900">{l.subject}</span>
        {l.employeeNumber ? <span className="text-slate-500"> · {l.employeeNumber}</span> : null}
        <span className="block text-slate-700">
          {l.what} <span className="text-slate-500">on {l.system}</span>
        </span>
        {l.privileged ? <span className="font-medium text-amber-800">privileged</span> : null}
      </td>
      <td className="px-2 py-1.5">
        {l.reviewer}
        <span className="block text-slate-500">
          {l.relation}
          {l.stage === 2 ? " · stage 2" : ""}
        </span>
      </td>
      <td className="px-2 py-1.5">
        <span className="font-medium">{l.recommendation}</span>
        {l.recommendationReason ? <span className="block text-slate-500">{l.recommendationReason}</span> : null}
      </td>
      <td className="px-2 py-1.5">
        <span className={l.decision === "Undecided" ? "font-medium text-red-700" : "font-medium"}>{l.decision}</span>
        {l.keptScopes?.length ? <span className="block text-slate-600">keeps {l.keptScopes.join(", ")}</span> : null}
        {l.decidedAt ? (
          <span className="block text-slate-500">
            {l.source === "policy" ? "no-response policy" : (l.decidedBy ?? "")}
            {bySource && l.source !== "policy" && l.source !== "reviewer" ? ` ${bySource}` : ""} ·{" "}
            {formatDateTime(l.decidedAt, tz)}
            {l.source !== "policy" && l.minutesTaken !== null ? ` · took ${duration(l.minutesTaken)}` : ""}
          </span>
        ) : null}
        {l.followed !== null ? (
          <span className={l.followed ? "block text-emerald-700" : "block text-amber-800"}>
            recommendation {l.followed ? "followed" : "overruled"}
          </span>
        ) : null}
      </td>
      <td className="px-2 py-1.5 text-slate-700">
        {l.justification ?? <span className="text-slate-400">—</span>}
        {l.restoredAt ? (
          <span className="block font-medium text-violet-800">restored {formatDateTime(l.restoredAt, tz)}</span>
        ) : null}
      </td>
      <td className="px-2 py-1.5">
        {l.task ? (
          <>
            <span
              className={l.task.state === "verified" ? "font-medium text-emerald-700" : "font-medium text-amber-800"}
            >
              Task #{l.task.id}: {l.task.state}
            </span>
            {l.task.mode !== "connector" ? <span className="text-slate-500"> ({l.task.mode})</span> : null}
            {l.task.verification ? <span className="block text-slate-600">{l.task.verification}</span> : null}
            {l.task.verifiedAt ? (
              <span className="block text-slate-500">verified {formatDateTime(l.task.verifiedAt, tz)}</span>
            ) : null}
          </>
        ) : l.decision === "Revoke" || l.decision === "Reduce" ? (
          <span className="text-slate-500">no task (already gone, or campaign still open)</span>
        ) : (
          <span className="text-slate-400">no change</span>
        )}
      </td>
    </tr>
  );
}

/**
 * Printable evidence for auditors: how the population was selected, then every item with its reviewer, decision,
 * justification, time taken, whether the recommendation was followed, what the no-response policy did and the
 * remediation with its verification; stamped with the audit chain's head at close. 500 lines a page.
 */
export default async function ReviewReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const parsed = reportPageInput.safeParse({ ...(await searchParams), id: (await params).id });
  if (!parsed.success) notFound();
  const ctx = await pageContext("reviews.manage");
  const c = await orNotFound(campaignReport(ctx, parsed.data.id));
  const [lines, tz, stamp] = await Promise.all([
    reportLines(ctx, c.id, parsed.data.after, PAGE + 1),
    viewerTimeZone(),
    latestCheckpoint(),
  ]);
  const shown = lines.slice(0, PAGE);
  const more = lines.length > PAGE;
  const policy = c.decisions.filter((d) => d.source === "policy");
  const policyKept = policy.filter((d) => d.decision === "keep").reduce((a, d) => a + d.n, 0);
  const policyRevoked = policy.filter((d) => d.decision === "revoke").reduce((a, d) => a + d.n, 0);
  const byDecision = (x: string | null) => c.decisions.filter((d) => d.decision === x).reduce((a, d) => a + d.n, 0);
  return (
    <article className="report">
      <style>
        {
          "@media print { aside, body header.sticky, nav[aria-label=Breadcrumb], .no-print { display: none !important } main { max-width: none !important; padding: 0 !important } .report section { break-inside: avoid } .report table tr { break-inside: avoid } }"
        }
      </style>
      <PageHeader
        crumbs={[
          { label: "Access reviews", href: "/reviews" },
          { label: c.name, href: `/reviews/${c.id}` },
          { label: "Evidence report" },
        ]}
        title={`Review evidence — ${c.name}`}
        description={`${KIND_LABELS[c.kind]} review · campaign #${c.id} · generated ${formatDateTime(ctx.now, tz)} by ${ctx.actor.name}`}
        meta={
          <>
            {c.status === "closed" ? (
              <Badge tone="success">Closed {formatDateTime(c.closedAt, tz)}</Badge>
            ) : (
              <Badge tone="warning">Campaign not closed ({c.status}): decisions may still change</Badge>
            )}
            {c.complete ? (
              <Badge tone="success">Every change verified</Badge>
            ) : c.status === "closed" && c.remediation.total ? (
              <Badge tone="danger">Changes not all verified</Badge>
            ) : null}
            <span className="text-xs text-slate-500">Times in {tz}; the CSV is in UTC.</span>
          </>
        }
        actions={
          <div className="no-print flex gap-2">
            <PrintButton />
            <a href={`/api/reviews/${c.id}/report`} className={buttonClasses("primary")} download>
              <Download className="size-4" aria-hidden /> Download CSV
            </a>
          </div>
        }
      />

      <section className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-xs" aria-label="Population">
        <h2 className="mb-2 text-sm font-semibold text-slate-900">Population and how it was selected</h2>
        <p className="text-sm text-slate-800" data-testid="report-definition">
          {c.definition}
        </p>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-4">
          <Fact label="Selected">{c.population ? formatDateTime(c.population.selectedAt, tz) : "not launched"}</Fact>
          <Fact label="Matched the scope">{c.population?.matched.toLocaleString("en-US") ?? "—"}</Fact>
          <Fact label="Items reviewed">{c.population?.items.toLocaleString("en-US") ?? "—"}</Fact>
          <Fact label="Left to open leaver cases">{c.population?.skippedOpenCase ?? "—"}</Fact>
        </dl>
        <p className="mt-3 text-xs text-slate-600">
          Query definition ({c.kind}):{" "}
          <code className="rounded bg-slate-100 px-1 py-0.5 text-[11px] text-slate-800">{JSON.stringify(c.scope)}</code>{" "}
          — every live {c.kind === "access" ? "grant of an active person" : "credential"} matching all of these at the
          moment of selection became one item, each sent to the subject's manager (access) or the credential's
          accountable owner, else the fallback reviewer ({c.fallback ?? "none"}), else the system's owner; never the
          subject.
        </p>
      </section>

      <section className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-xs" aria-label="Outcome">
        <h2 className="mb-2 text-sm font-semibold text-slate-900">Settings and outcome</h2>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-4">
          <Fact label="Launched">
            {formatDateTime(c.startsAt, tz)}
            {c.createdBy ? ` by ${c.createdBy}` : ""}
          </Fact>
          <Fact label="Due">{formatDateTime(c.dueAt, tz)}</Fact>
          <Fact label="Closed">
            {c.closedAt ? `${formatDateTime(c.closedAt, tz)} by ${c.closedBy ?? "the system"}` : "—"}
          </Fact>
          <Fact label="Stages · reminders">
            {c.stages} · every {c.reminderEveryDays} days
          </Fact>
          <Fact label="Decisions">
            {byDecision("keep")} keep · {byDecision("revoke")} revoke · {byDecision("reduce")} reduce
            {byDecision(null) ? ` · ${byDecision(null)} undecided` : ""}
          </Fact>
          <Fact label={`No-response policy: ${POLICY_LABELS[c.noResponsePolicy].label}`}>
            <span data-testid="report-policy">
              {policy.length
                ? `${policyKept} kept as not reviewed, ${policyRevoked} revoked`
                : c.status === "closed"
                  ? "nothing: every item had a decision"
                  : "applies at close"}
            </span>
          </Fact>
          <Fact label="Remediation">
            {c.remediation.total
              ? `${c.remediation.verified} of ${c.remediation.total} verified${c.remediation.failed ? `, ${c.remediation.failed} failed` : ""}${c.remediation.waived ? `, ${c.remediation.waived} waived` : ""}`
              : "no change asked"}
          </Fact>
          <Fact label="Audit chain head at close">
            {c.evidence ? (
              <span data-testid="evidence-stamp">
                event #{c.evidence.headId} · <code className="text-[11px] break-all">{c.evidence.headHash}</code>
              </span>
            ) : (
              "stamped when the campaign closes"
            )}
          </Fact>
          <Fact label="Latest signed audit checkpoint">
            <CheckpointStampLine stamp={stamp} tz={tz} />
          </Fact>
        </dl>
      </section>

      <section className="rounded-lg border border-slate-200 bg-white shadow-xs" aria-label="Items">
        <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-900">
          Items{parsed.data.after ? ` after #${parsed.data.after}` : ""} ({shown.length.toLocaleString("en-US")}
          {more ? ", more on the next page" : ""})
        </h2>
        <table className="w-full table-fixed text-left text-xs" aria-label="Review items">
          <colgroup>
            {COLUMNS.map((col) => (
              <col key={col.label} style={{ width: col.width }} />
            ))}
          </colgroup>
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              {COLUMNS.map((col) => (
                <th key={col.label} scope="col" className="px-2 py-1.5 font-medium">
                  {col.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <Line key={l.id} l={l} tz={tz} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="px-4 py-6 text-sm text-slate-600">No items.</p> : null}
        {more || parsed.data.after ? (
          <nav aria-label="Pagination" className="no-print flex justify-end gap-2 border-t border-slate-200 px-3 py-2">
            {parsed.data.after ? (
              <ButtonLink href={`/reviews/${c.id}/report`} size="sm">
                From the first item
              </ButtonLink>
            ) : null}
            {more ? (
              <ButtonLink href={`/reviews/${c.id}/report?after=${shown.at(-1)?.id}`} size="sm">
                Next {PAGE} items <ChevronRight className="size-3.5" aria-hidden />
              </ButtonLink>
            ) : null}
          </nav>
        ) : null}
      </section>
    </article>
  );
}
