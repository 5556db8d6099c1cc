"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Bot, KeyRound, ServerCog, UserRound } from "lucide-react";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, StatusBadge } from "@/components/ui/status";
import { StrengthBadge } from "@/components/ui/strength-badge";
import type { PersonRow } from "@/lib/people/queries";

const KIND_ICON = { human: UserRound, service_account: ServerCog, api_client: KeyRound, ai_agent: Bot } as const;

const columns: ColumnDef<PersonRow>[] = [
  {
    header: "Name",
    cell: ({ row: { original: p } }) => {
      const Icon = KIND_ICON[p.kind];
      return (
        <div className="flex items-center gap-2">
          <Icon className="size-4 shrink-0 text-slate-400" aria-label={humanize(p.kind)} />
          <div className="min-w-0">
            <Link href={`/people/${p.id}`} className="font-medium text-indigo-700 hover:underline">
              {p.name}
            </Link>
            <p className="truncate text-xs text-slate-500">{p.email ?? "—"}</p>
          </div>
        </div>
      );
    },
  },
  {
    header: "Employee no.",
    accessorKey: "employeeNumber",
    cell: (c) => <span className="font-mono text-xs">{c.getValue<string>() ?? "—"}</span>,
  },
  {
    header: "Department",
    cell: ({ row: { original: p } }) => (
      <div>
        <p>{p.department ?? "—"}</p>
        {p.title ? <p className="text-xs text-slate-500">{p.title}</p> : null}
      </div>
    ),
  },
  {
    header: "Kind",
    cell: ({ row: { original: p } }) =>
      p.kind === "human" ? (
        <span className="text-slate-600">Person</span>
      ) : (
        <div>
          <Badge tone="violet">{humanize(p.kind)}</Badge>
          <p className="mt-0.5 text-xs text-slate-500">
            owner {p.owner ?? <span className="font-medium text-red-700">none</span>}
            {p.ownerStatus && p.ownerStatus !== "active" ? (
              <span className="font-medium text-red-700"> (orphaned)</span>
            ) : null}
          </p>
        </div>
      ),
  },
  { header: "Status", cell: ({ row: { original: p } }) => <StatusBadge status={p.status} /> },
  {
    header: "Effective strength",
    cell: ({ row: { original: p } }) =>
      p.kind === "human" ? (
        <StrengthBadge strength={p.effectiveStrength} />
      ) : (
        <span className="text-xs text-slate-400">n/a (credentials)</span>
      ),
  },
];

export function PeopleTable({ rows }: { rows: PersonRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      label="People"
      rowKey={(r) => r.id}
      empty={<EmptyState title="No one matches these filters">Try a shorter search, or clear a filter.</EmptyState>}
    />
  );
}
