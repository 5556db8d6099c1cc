"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize } from "@/components/ui/status";
import type { CredentialRow } from "@/lib/api-scopes/queries";
import { formatRelative } from "@/lib/time";

export function CredentialsTable({ rows, now }: { rows: CredentialRow[]; now: string }) {
  const at = new Date(now);
  const columns: ColumnDef<CredentialRow>[] = [
    {
      header: "Credential",
      cell: ({ row: { original: c } }) => (
        <div>
          <p className="font-medium">{c.name}</p>
          <p className="text-xs text-slate-500">
            {humanize(c.kind)} · {c.system}
          </p>
        </div>
      ),
    },
    {
      header: "Scopes",
      cell: ({ row: { original: c } }) => (
        <div className="flex max-w-72 flex-wrap gap-1">
          {c.scopes.slice(0, 4).map((s) => (
            <code key={s} className="rounded bg-slate-100 px-1 text-[11px]">{s}</code>
          ))}
          {c.scopes.length > 4 ? <span className="text-xs text-slate-500">+{c.scopes.length - 4}</span> : null}
        </div>
      ),
    },
    { header: "Bulk reach", cell: ({ row: { original: c } }) => (c.bulkReach ? <Badge tone="danger">bulk records</Badge> : <span className="text-xs text-slate-400">—</span>) },
    {
      header: "Holder",
      cell: ({ row: { original: c } }) => (
        <div>
          <Link href={`/people/${c.holderId}`} className="text-indigo-700 hover:underline">
            {c.holder}
          </Link>
          {c.holderKind !== "human" ? <p className="text-xs text-slate-500">{humanize(c.holderKind)}</p> : null}
        </div>
      ),
    },
    {
      header: "Owner",
      cell: ({ row: { original: c } }) =>
        !c.ownerId ? (
          <Badge tone="danger">Orphaned: no owner</Badge>
        ) : c.ownerStatus !== "active" ? (
          <span>
            {c.owner} <Badge tone="danger">Orphaned: {c.ownerStatus}</Badge>
          </span>
        ) : (
          c.owner
        ),
    },
    { header: "Last used", cell: ({ row: { original: c } }) => <span className="text-xs whitespace-nowrap">{formatRelative(c.lastUsedAt, at)}</span> },
    { header: "Rotated", cell: ({ row: { original: c } }) => <span className="text-xs whitespace-nowrap">{c.lastRotatedAt ? formatRelative(c.lastRotatedAt, at) : "never"}</span> },
    { header: "Expires", cell: ({ row: { original: c } }) => <span className="text-xs whitespace-nowrap">{c.expiresAt ? formatRelative(c.expiresAt, at) : <Badge tone="warning">no expiry</Badge>}</span> },
  ];
  return (
    <DataTable columns={columns} data={rows} label="Credentials" rowKey={(r) => r.id} empty={<EmptyState title="No credentials match these filters" />} />
  );
}
