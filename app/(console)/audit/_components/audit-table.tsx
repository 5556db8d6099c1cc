"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { AuditRow } from "@/lib/audit/queries";
import { formatDateTime } from "@/lib/time";

function Change({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <span className="text-slate-400">—</span>;
  return (
    <details className="max-w-md">
      <summary className="cursor-pointer text-xs text-indigo-700">before / after</summary>
      <pre className="mt-1 max-h-48 overflow-y-auto rounded bg-slate-50 p-2 text-[11px] leading-4 break-all whitespace-pre-wrap">
        {JSON.stringify({ before, after }, null, 2)}
      </pre>
    </details>
  );
}

export function AuditTable({ rows, tz }: { rows: AuditRow[]; tz: string }) {
  const columns: ColumnDef<AuditRow>[] = [
    {
      header: "#",
      cell: ({ row: { original: e } }) => <span className="font-mono text-xs text-slate-500">{e.id}</span>,
    },
    {
      header: "When",
      cell: ({ row: { original: e } }) => (
        <span className="text-xs whitespace-nowrap">{formatDateTime(e.occurredAt, tz)}</span>
      ),
    },
    {
      header: "Actor",
      cell: ({ row: { original: e } }) => (
        <span className={e.actorId ? "" : "text-slate-500 italic"}>{e.actorLabel}</span>
      ),
    },
    {
      header: "Action",
      cell: ({ row: { original: e } }) => (
        <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{e.action}</code>
      ),
    },
    {
      header: "Target",
      cell: ({ row: { original: e } }) => (
        <div>
          <p>{e.targetLabel ?? "—"}</p>
          <p className="font-mono text-[11px] text-slate-500">
            {e.targetType}:{e.targetId}
          </p>
        </div>
      ),
    },
    { header: "Change", cell: ({ row: { original: e } }) => <Change before={e.before} after={e.after} /> },
    {
      header: "Hash",
      cell: ({ row: { original: e } }) => (
        <span className="font-mono text-[11px] text-slate-400" title={e.hash}>
          {e.hash.slice(0, 10)}…
        </span>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      data={rows}
      label="Audit events"
      rowKey={(r) => r.id}
      empty={<EmptyState title="No events match these filters">Widen the date range or clear a filter.</EmptyState>}
    />
  );
}
