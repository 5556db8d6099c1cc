"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, humanize } from "@/components/ui/status";
import type { CaseRow } from "@/lib/leavers/queries";
import { formatDateTime, formatRelative } from "@/lib/time";

export function CasesTable({ rows, tz, now }: { rows: CaseRow[]; tz: string; now: string }) {
  const at = new Date(now);
  const columns: ColumnDef<CaseRow>[] = [
    {
      header: "Person",
      cell: ({ row: { original: c } }) => (
        <div>
          <Link href={`/leavers/${c.id}`} className="font-medium text-indigo-700 hover:underline">
            {c.person}
          </Link>
          <p className="text-xs text-slate-500">{c.department ?? "—"}</p>
        </div>
      ),
    },
    { header: "Reason", cell: ({ row: { original: c } }) => humanize(c.reason) },
    { header: "Effective", cell: ({ row: { original: c } }) => <span className="text-xs whitespace-nowrap">{formatDateTime(c.effectiveAt, tz)}</span> },
    {
      header: "SLA",
      cell: ({ row: { original: c } }) => {
        const breached = c.status !== "closed" && c.slaDueAt < at;
        return <span className={breached ? "font-semibold text-red-700" : "text-slate-700"}>{breached ? `breached ${formatRelative(c.slaDueAt, at)}` : formatRelative(c.slaDueAt, at)}</span>;
      },
    },
    {
      header: "Progress",
      cell: ({ row: { original: c } }) => (
        <div className="w-28">
          <div className="mb-0.5 flex justify-between text-xs text-slate-600">
            <span>
              {c.tasksVerified}/{c.tasksTotal}
            </span>
            {c.tasksFailed ? <span className="text-red-700">{c.tasksFailed} failed</span> : null}
          </div>
          <div className="h-1.5 rounded bg-slate-200">
            <div className="h-1.5 rounded bg-emerald-600" style={{ width: `${c.tasksTotal ? (100 * c.tasksVerified) / c.tasksTotal : 0}%` }} />
          </div>
        </div>
      ),
    },
    {
      header: "Outstanding",
      cell: ({ row: { original: c } }) => (
        <div className="flex gap-1">
          {c.privilegedOutstanding ? <Badge tone="warning">{c.privilegedOutstanding} privileged</Badge> : null}
          {c.bulkOutstanding ? <Badge tone="danger">{c.bulkOutstanding} bulk-data</Badge> : null}
          {!c.privilegedOutstanding && !c.bulkOutstanding ? <span className="text-xs text-slate-400">—</span> : null}
        </div>
      ),
    },
    { header: "Status", cell: ({ row: { original: c } }) => <StatusBadge status={c.status} /> },
    { header: "Assignee", cell: ({ row: { original: c } }) => c.assignee ?? <span className="text-slate-400">unassigned</span> },
  ];
  return (
    <DataTable
      columns={columns}
      data={rows}
      label="Leaver cases"
      rowKey={(r) => r.id}
      empty={<EmptyState title="No leaver cases here">Nobody is leaving in this view. Cases open from an HR import, a person's page, or SCIM.</EmptyState>}
    />
  );
}
