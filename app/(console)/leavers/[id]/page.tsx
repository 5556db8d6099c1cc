import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status";
import { can } from "@/lib/authz";
import { getCase, type TaskRow as Task } from "@/lib/leavers/case-detail";
import { CONNECTOR_LABELS, REASON_LABELS } from "@/lib/leavers/labels";
import { caseInput } from "@/lib/leavers/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDate, formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AutoRefresh } from "../../_remediation/auto-refresh";
import { TaskRow } from "../../_remediation/task-row";
import { ProgressBar } from "../_components/progress-bar";
import { RiskBadge } from "../_components/risk-badge";
import { SlaCountdown } from "../_components/sla-countdown";
import { CaseActions } from "./_components/case-actions";
import { Timeline } from "./_components/timeline";

export const metadata: Metadata = { title: "Leaver case" };

async function load(id: string) {
  const parsed = caseInput.safeParse({ caseId: id });
  if (!parsed.success) notFound();
  const ctx = await pageContext("leavers.read");
  return { ctx, data: await orNotFound(getCase(ctx, parsed.data.caseId)) };
}

function groupBySystem(tasks: Task[]) {
  const groups = new Map<number, Task[]>();
  for (const t of tasks) groups.set(t.systemId, [...(groups.get(t.systemId) ?? []), t]);
  // Systems with work left first, then by their most urgent task.
  return [...groups.values()].sort((a, b) => {
    const left = (g: Task[]) => g.some((t) => t.state !== "verified" && t.state !== "waived");
    return (
      Number(left(b)) - Number(left(a)) ||
      Math.min(...a.map((t) => t.priority)) - Math.min(...b.map((t) => t.priority)) ||
      a[0].system.localeCompare(b[0].system)
    );
  });
}

export default async function CasePage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, data } = await load((await params).id);
  const tz = await viewerTimeZone();
  const { header: h, tasks, timeline } = data;
  const closed = h.status === "closed";
  const outstanding = tasks.filter((t) => t.state !== "verified" && t.state !== "waived").length;
  const automatable = tasks.filter(
    (t) => t.mode === "connector" && (t.state === "pending" || t.state === "failed" || t.state === "done"),
  ).length;
  const busy = tasks.some(
    (t) =>
      t.state === "running" ||
      (t.leaseUntil && t.leaseUntil > ctx.now) ||
      (t.notBefore && t.notBefore.getTime() - ctx.now.getTime() < 120_000),
  );
  const permissions = {
    manage: can(ctx.actor, "remediation.manage"),
    waive: can(ctx.actor, "remediation.waive"),
    handover: can(ctx.actor, "leavers.handover"),
  };
  const facts: [string, React.ReactNode][] = [
    ["Reason", REASON_LABELS[h.reason]],
    ["Effective", formatDateTime(h.effectiveAt, tz)],
    ["Last day", h.lastDay ? formatDate(h.lastDay, tz) : "—"],
    [
      "SLA due",
      <span key="sla" className="flex flex-col">
        {formatDateTime(h.slaDueAt, tz)}
        <SlaCountdown due={h.slaDueAt.toISOString()} closed={closed} serverNow={ctx.now.toISOString()} />
      </span>,
    ],
    ["Assignee", h.assignee ?? <span className="text-slate-400">Unassigned</span>],
    [
      "Batch",
      h.batchId ? (
        <Link key="b" href={`/leavers/batches/${h.batchId}`} className="text-indigo-700 hover:underline">
          {h.batch}
        </Link>
      ) : (
        "Opened by hand"
      ),
    ],
  ];

  return (
    <>
      <AutoRefresh active={busy} />
      <PageHeader
        crumbs={[{ label: "Leavers", href: "/leavers" }, { label: `Case #${h.id}` }]}
        title={h.person}
        description={[h.title, h.department, h.email, h.employeeNumber].filter(Boolean).join(" · ")}
        meta={
          <>
            <StatusBadge status={h.status} />
            <RiskBadge score={h.risk} reopened={h.status === "reopened"} why={h.riskWhy} />
            {h.privilegedOutstanding ? (
              <Badge tone="warning">{h.privilegedOutstanding} privileged outstanding</Badge>
            ) : null}
            {h.bulkOutstanding ? <Badge tone="danger">{h.bulkOutstanding} bulk-data outstanding</Badge> : null}
            {h.manager ? <span className="text-xs text-slate-500">Manager: {h.manager}</span> : null}
            {can(ctx.actor, "people.read") ? (
              <Link href={`/people/${h.identityId}`} className="text-xs text-indigo-700 hover:underline">
                Person page
              </Link>
            ) : null}
          </>
        }
        actions={
          <CaseActions
            caseId={h.id}
            status={h.status}
            automatable={automatable}
            outstanding={outstanding}
            canManage={permissions.manage}
          />
        }
      />
      {closed ? null : (
        <p className="mb-3 text-xs text-slate-600" data-testid="risk-why">
          Risk {h.risk}: {h.riskWhy}
        </p>
      )}
      {h.status === "reopened" ? (
        <div role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          Drift watch found a revocation undone on {formatDateTime(h.reopenedAt, tz)}: the case is back on top of the
          queue. Re-run the tasks marked &quot;Drift&quot;.
        </div>
      ) : null}
      <div className="mb-5 grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xs md:grid-cols-4 xl:grid-cols-7">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
          </div>
        ))}
        <div className="col-span-2 md:col-span-4 xl:col-span-1">
          <dt className="mb-1 text-xs text-slate-500">Progress</dt>
          <ProgressBar verified={h.tasksVerified} total={h.tasksTotal} failed={h.tasksFailed} waived={h.waived} />
        </div>
      </div>
      {h.cancelledAt ? (
        <p className="mb-4 text-xs text-slate-600" data-testid="case-called-off">
          Called off {formatDateTime(h.cancelledAt, tz)}: the person was re-activated before the case took effect, so
          its tasks were waived.
        </p>
      ) : null}
      {closed && h.driftWatchUntil ? (
        <p className="mb-4 text-xs text-slate-600">
          Closed {formatDateTime(h.closedAt, tz)}. Drift watch re-verifies these revocations daily until{" "}
          {formatDate(h.driftWatchUntil, tz)}
          {h.lastDriftCheckAt ? ` (last check ${formatDateTime(h.lastDriftCheckAt, tz)})` : ""}.
        </p>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_340px]">
        <div className="flex flex-col gap-4">
          {groupBySystem(tasks).map((group) => {
            const s = group[0];
            const left = group.filter((t) => t.state !== "verified" && t.state !== "waived").length;
            return (
              <Card key={s.systemId}>
                <CardHeader
                  title={
                    <span className="flex items-center gap-2">
                      {s.system}
                      <Badge tone="neutral">{CONNECTOR_LABELS[s.connectorKind] ?? s.connectorKind}</Badge>
                      {s.systemSimulated ? <Badge tone="violet">Simulated</Badge> : null}
                    </span>
                  }
                  description={`${s.criticality} criticality · ${left ? `${left} of ${group.length} left` : `all ${group.length} done`}`}
                />
                <ul className="divide-y divide-slate-100" aria-label={`Tasks on ${s.system}`}>
                  {group.map((t) => (
                    <TaskRow
                      key={t.id}
                      t={t}
                      tz={tz}
                      now={ctx.now}
                      actions={{ closed, can: permissions, meId: ctx.actor.id }}
                    />
                  ))}
                </ul>
              </Card>
            );
          })}
          {tasks.length === 0 ? (
            <Card>
              <p className="px-4 py-6 text-sm text-slate-600">
                This person held nothing Lockstep knows about: no accounts, sessions, devices, credentials or owned
                identities.
              </p>
            </Card>
          ) : null}
        </div>
        <Timeline events={timeline} tz={tz} />
      </div>
    </>
  );
}
