import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { humanize, StatusBadge } from "@/components/ui/status";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/lib/authz";
import { listRequests } from "@/lib/break-glass/queries";
import { pageContext } from "@/lib/session";
import { formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";

export const metadata: Metadata = { title: "Break-glass" };

export default async function BreakGlassPage() {
  const ctx = await pageContext("break_glass.request");
  const [requests, tz] = await Promise.all([listRequests(ctx), viewerTimeZone()]);
  const seeAll = can(ctx.actor, "break_glass.read");
  return (
    <>
      <PageHeader
        title="Break-glass"
        description="Account recovery and emergency access: two approvals from distinct approvers, time-boxed, never a weaker factor than the subject already has."
      />
      <Card>
        {requests.length === 0 ? (
          <EmptyState title={seeAll ? "No break-glass requests" : "You have no break-glass requests"} />
        ) : (
          <Table label="Break-glass requests">
            <THead>
              <tr>
                <TH>#</TH>
                <TH>Subject</TH>
                <TH>Kind</TH>
                <TH>Reason</TH>
                <TH>Requested by</TH>
                <TH>Approvals</TH>
                <TH>Status</TH>
                <TH>Window</TH>
              </tr>
            </THead>
            <tbody>
              {requests.map((r) => (
                <TR key={r.id}>
                  <TD className="font-mono text-xs text-slate-500">{r.id}</TD>
                  <TD>
                    {seeAll ? (
                      <Link href={`/people/${r.subjectId}`} className="text-indigo-700 hover:underline">
                        {r.subject}
                      </Link>
                    ) : (
                      r.subject
                    )}
                  </TD>
                  <TD>{humanize(r.kind)}</TD>
                  <TD className="max-w-72 text-xs text-slate-600">
                    <span className="line-clamp-2">{r.reason}</span>
                  </TD>
                  <TD className="text-xs">
                    {r.requester}
                    <p className="text-slate-500">{formatDateTime(r.createdAt, tz)}</p>
                  </TD>
                  <TD className="tabular-nums">
                    {r.approvals}/{r.requiredApprovals}
                  </TD>
                  <TD>
                    <StatusBadge status={r.status} />
                  </TD>
                  <TD className="text-xs whitespace-nowrap">
                    {r.status === "active" && r.expiresAt
                      ? `ends ${formatRelative(r.expiresAt, ctx.now)}`
                      : r.status === "pending"
                        ? `lapses ${formatRelative(r.requestExpiresAt, ctx.now)}`
                        : `${r.durationMinutes} min`}
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
