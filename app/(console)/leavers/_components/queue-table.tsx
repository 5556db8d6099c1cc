"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Play, UserCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status";
import { useAction } from "@/components/ui/use-action";
import { REASON_LABELS } from "@/lib/leavers/labels";
import type { CaseRow } from "@/lib/leavers/queries";
import { formatDateTime } from "@/lib/time";
import { assignCasesAction, executeCasesAction } from "../actions";
import { ProgressBar } from "./progress-bar";
import { RiskBadge } from "./risk-badge";
import { SlaCountdown } from "./sla-countdown";

type Props = {
  rows: CaseRow[];
  tz: string;
  now: string;
  canManage: boolean;
  assignees: { id: number; name: string }[];
  meId: number | null;
};

/** The queue: risk order from the server; select cases to assign them or queue all their automatable tasks. */
export function QueueTable({ rows, tz, now, canManage, assignees, meId }: Props) {
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [assignee, setAssignee] = useState<string>(meId ? String(meId) : "");
  const assign = useAction(assignCasesAction);
  const execute = useAction(executeCasesAction);
  const [notice, setNotice] = useState<string | null>(null);
  // A new Set each time: React state is never mutated in place.
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const allOn = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const ids = [...selected];

  const columns: ColumnDef<CaseRow>[] = [
    ...(canManage
      ? [
          {
            id: "select",
            header: () => (
              <input
                type="checkbox"
                aria-label="Select all cases on this page"
                checked={allOn}
                onChange={() => setSelected(allOn ? new Set() : new Set(rows.map((r) => r.id)))}
                className="size-4 rounded border-slate-300"
              />
            ),
            cell: ({ row: { original: c } }: { row: { original: CaseRow } }) => (
              <input
                type="checkbox"
                aria-label={`Select ${c.person}`}
                checked={selected.has(c.id)}
                onChange={() => toggle(c.id)}
                className="size-4 rounded border-slate-300"
              />
            ),
            meta: { className: "w-8" },
          } satisfies ColumnDef<CaseRow>,
        ]
      : []),
    {
      header: "Risk",
      cell: ({ row: { original: c } }) => (
        <RiskBadge score={c.risk} reopened={c.status === "reopened"} why={c.riskWhy} />
      ),
    },
    {
      header: "Person",
      cell: ({ row: { original: c } }) => (
        <div className="min-w-40">
          <Link href={`/leavers/${c.id}`} className="font-medium text-indigo-700 hover:underline">
            {c.person}
          </Link>
          <p className="text-xs text-slate-500">
            {c.department ?? "—"}
            {c.employeeNumber ? <span className="font-mono"> · {c.employeeNumber}</span> : null}
          </p>
        </div>
      ),
    },
    {
      // Reason and effective time share a column so the queue fits a 1280 px screen without scrolling.
      header: "Reason · effective",
      cell: ({ row: { original: c } }) => (
        <div className="whitespace-nowrap">
          <p>{REASON_LABELS[c.reason]}</p>
          <p className="text-xs text-slate-500">{formatDateTime(c.effectiveAt, tz)}</p>
        </div>
      ),
    },
    {
      header: "SLA",
      cell: ({ row: { original: c } }) => (
        <SlaCountdown due={new Date(c.slaDueAt).toISOString()} closed={c.status === "closed"} serverNow={now} />
      ),
    },
    {
      header: "Verified",
      cell: ({ row: { original: c } }) => (
        <ProgressBar
          verified={c.tasksVerified}
          waived={c.tasksWaived}
          total={c.tasksTotal}
          failed={c.tasksFailed}
          className="w-24"
          compact
        />
      ),
    },
    {
      header: "Outstanding",
      cell: ({ row: { original: c } }) => (
        <div className="flex flex-wrap gap-1">
          {c.privilegedOutstanding ? <Badge tone="warning">{c.privilegedOutstanding} privileged</Badge> : null}
          {c.bulkOutstanding ? <Badge tone="danger">{c.bulkOutstanding} bulk-data</Badge> : null}
          {!c.privilegedOutstanding && !c.bulkOutstanding ? <span className="text-xs text-slate-400">—</span> : null}
        </div>
      ),
    },
    { header: "Status", cell: ({ row: { original: c } }) => <StatusBadge status={c.status} /> },
    {
      header: "Assignee",
      cell: ({ row: { original: c } }) => (
        // Wraps rather than pushing the queue past a 1280 px screen (acceptance testing: the column was clipped).
        <span className="block min-w-20">{c.assignee ?? <span className="text-slate-400">Unassigned</span>}</span>
      ),
    },
  ];

  const done = (msg: string) => {
    setNotice(msg);
    setSelected(new Set());
  };

  return (
    <>
      {canManage ? (
        <fieldset
          className="flex min-h-12 min-w-0 flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50/60 px-3 py-2 text-sm"
          aria-label="Bulk actions"
        >
          <span className="mr-1 text-xs text-slate-600 tabular-nums">
            {ids.length ? `${ids.length} selected` : "Select cases to act on several at once"}
          </span>
          <label className="flex items-center gap-1.5">
            <span className="sr-only">Assign to</span>
            <select
              value={assignee}
              onChange={(e) => setAssignee(e.target.value)}
              className="h-7 rounded-md border border-slate-300 bg-white px-2 text-xs"
              aria-label="Assignee"
            >
              <option value="">Unassigned</option>
              {assignees.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.id === meId ? `${a.name} (me)` : a.name}
                </option>
              ))}
            </select>
          </label>
          <Button
            size="sm"
            disabled={!ids.length || assign.pending}
            onClick={() =>
              assign.run({ caseIds: ids, assigneeId: assignee ? Number(assignee) : null }, (d) =>
                done(`${d.assigned} case${d.assigned === 1 ? "" : "s"} assigned.`),
              )
            }
          >
            <UserCheck className="size-3.5" aria-hidden /> Assign
          </Button>
          <Button
            size="sm"
            variant="primary"
            disabled={!ids.length || execute.pending}
            onClick={() =>
              execute.run({ caseIds: ids }, (d) =>
                done(
                  `${d.queued} automatable task${d.queued === 1 ? "" : "s"} queued across ${d.cases} case${d.cases === 1 ? "" : "s"}.`,
                ),
              )
            }
          >
            <Play className="size-3.5" aria-hidden /> {execute.pending ? "Queuing…" : "Execute automatable tasks"}
          </Button>
          <span role="status" className="text-xs text-emerald-700">
            {notice}
          </span>
          {assign.error || execute.error ? (
            <span role="alert" className="text-xs text-red-700">
              {assign.error ?? execute.error}
            </span>
          ) : null}
        </fieldset>
      ) : null}
      <DataTable
        columns={columns}
        data={rows}
        label="Leaver queue"
        rowKey={(r) => r.id}
        empty={
          <EmptyState title="No leaver cases here">
            Nobody is waiting in this view. Cases open from an HR import, a person&apos;s page, or SCIM.
          </EmptyState>
        }
      />
    </>
  );
}
