"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize } from "@/components/ui/status";
import type { SystemRow } from "@/lib/systems/queries";

const CONNECTOR_LABEL: Record<string, string> = {
  scim: "SCIM 2.0",
  oauth: "OAuth 2.0 revocation",
  webhook: "Signed webhook",
  manual: "Manual with evidence",
};
const CRITICALITY_TONE: Record<string, Tone> = { low: "neutral", medium: "info", high: "warning", critical: "danger" };
const n = (v: number) => v.toLocaleString("en-US");

const columnsFor = (canManage: boolean): ColumnDef<SystemRow>[] => [
  {
    header: "System",
    cell: ({ row: { original: s } }) => (
      <div>
        {canManage ? (
          <Link className="font-medium text-indigo-700 hover:underline" href={`/systems/${s.id}`}>
            {s.name}
          </Link>
        ) : (
          <p className="font-medium text-slate-900">{s.name}</p>
        )}
        <p className="text-xs text-slate-500">{humanize(s.category)}</p>
      </div>
    ),
  },
  {
    header: "Criticality",
    cell: ({ row: { original: s } }) => <Badge tone={CRITICALITY_TONE[s.criticality]}>{humanize(s.criticality)}</Badge>,
  },
  {
    header: "Connector",
    cell: ({ row: { original: s } }) => (
      <div className="flex flex-wrap items-center gap-1">
        <span>{CONNECTOR_LABEL[s.connectorKind]}</span>
        {s.simulated ? (
          <Badge tone="warning">
            <span title="This connector acts on an in-process stand-in, not on the real system.">Simulated</span>
          </Badge>
        ) : null}
        {s.connectorKind === "scim" && s.deprovisionMode === "delete" ? <Badge>deletes users</Badge> : null}
        {s.connectorKind === "scim" && !s.simulated ? (
          <Link className="text-xs text-indigo-700 hover:underline" href={`/systems/${s.id}/reconciliation`}>
            Reconciliation
          </Link>
        ) : null}
      </div>
    ),
  },
  {
    header: "Accounts",
    meta: { className: "text-right" },
    cell: ({ row: { original: s } }) => <span title={`${n(s.accountsTotal)} in total`}>{n(s.accountsActive)}</span>,
  },
  {
    header: "Credentials",
    meta: { className: "text-right" },
    cell: ({ row: { original: s } }) => n(s.credentialsActive),
  },
  {
    header: "Privileged entitlements",
    meta: { className: "text-right" },
    cell: ({ row: { original: s } }) => n(s.privilegedEntitlements),
  },
  {
    header: "Bulk endpoints",
    meta: { className: "text-right" },
    cell: ({ row: { original: s } }) =>
      s.bulkEndpoints ? <Badge tone="danger">{s.bulkEndpoints}</Badge> : <span className="text-slate-400">0</span>,
  },
  {
    header: "Owner",
    cell: ({ row: { original: s } }) =>
      s.ownerId ? (
        <Link className="text-indigo-700 hover:underline" href={`/people/${s.ownerId}`}>
          {s.owner}
        </Link>
      ) : (
        <span className="text-red-700">none</span>
      ),
  },
];

/** With `canManage` (admins), each system's name opens its settings. */
export function SystemsTable({ rows, canManage = false }: { rows: SystemRow[]; canManage?: boolean }) {
  return (
    <DataTable
      columns={columnsFor(canManage)}
      data={rows}
      label="Connected systems"
      rowKey={(r) => r.id}
      empty={<EmptyState title="No systems match">Clear the filters, or connect a system.</EmptyState>}
    />
  );
}
