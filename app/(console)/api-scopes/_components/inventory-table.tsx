"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, StatusBadge } from "@/components/ui/status";
import type { InventoryRow } from "@/lib/api-scopes/queries";
import { CREDENTIAL_KIND_LABELS, type CredentialKind } from "@/lib/api-scopes/rules";
import { formatDateTime, formatRelative } from "@/lib/time";
import { BlastBadge } from "./blast-badge";
import { FindingBadges } from "./finding-badges";

export function InventoryTable({
  rows,
  now,
  tz,
  clearHref,
}: {
  rows: InventoryRow[];
  now: string;
  tz: string;
  clearHref: string;
}) {
  const at = new Date(now);
  const when = (v: string | null, empty: React.ReactNode) =>
    v ? (
      <time dateTime={v} title={formatDateTime(v, tz)} className="text-xs whitespace-nowrap">
        {formatRelative(v, at)}
      </time>
    ) : (
      empty
    );
  const columns: ColumnDef<InventoryRow>[] = [
    {
      header: "Credential",
      cell: ({ row: { original: c } }) => (
        <div className="min-w-56">
          <Link href={`/api-scopes/credentials/${c.id}`} className="font-medium text-indigo-700 hover:underline">
            {c.name}
          </Link>
          <p className="text-xs text-slate-500">
            {CREDENTIAL_KIND_LABELS[c.kind as CredentialKind] ?? humanize(c.kind)} · {c.system}
            {c.status !== "active" ? <StatusBadge status={c.status} /> : null}
          </p>
          <div className="mt-1 flex max-w-72 flex-wrap gap-1">
            {c.scopes.slice(0, 3).map((s) => (
              <code key={s} className="rounded bg-slate-100 px-1 text-[11px] text-slate-700">
                {s}
              </code>
            ))}
            {c.scopes.length > 3 ? <span className="text-[11px] text-slate-500">+{c.scopes.length - 3}</span> : null}
          </div>
        </div>
      ),
    },
    {
      header: "Blast radius",
      cell: ({ row: { original: c } }) => (
        <div>
          <BlastBadge score={c.blastRadius} />
          <p className="mt-0.5 text-[11px] whitespace-nowrap text-slate-500">
            {c.reachEndpoints} endpoint{c.reachEndpoints === 1 ? "" : "s"}
            {c.reachBulk ? `, ${c.reachBulk} bulk` : ""}
            {c.maxRecordsPerCall ? ` ≤${c.maxRecordsPerCall.toLocaleString("en-US")}/call` : ""}
          </p>
        </div>
      ),
    },
    { header: "Findings", cell: ({ row: { original: c } }) => <FindingBadges ids={c.findings} /> },
    {
      header: "Holder → owner",
      cell: ({ row: { original: c } }) => (
        <div className="text-sm">
          <p>
            {c.holder}
            {c.holderKind !== "human" ? (
              <span className="text-xs text-slate-500"> ({humanize(c.holderKind)})</span>
            ) : null}
          </p>
          <p className="text-xs text-slate-500">
            owner{" "}
            {c.owner ? (
              <span className={c.ownerStatus !== "active" ? "font-medium text-red-700" : "text-slate-700"}>
                {c.owner}
                {c.ownerStatus !== "active" ? ` (${c.ownerStatus})` : ""}
              </span>
            ) : (
              <span className="font-medium text-red-700">none</span>
            )}
            {c.department ? ` · ${c.department}` : ""}
          </p>
        </div>
      ),
    },
    {
      header: "Last used",
      cell: ({ row: { original: c } }) => when(c.lastUsedAt, <span className="text-xs text-slate-500">never</span>),
    },
    { header: "Expires", cell: ({ row: { original: c } }) => when(c.expiresAt, <Badge tone="neutral">never</Badge>) },
  ];
  return (
    <DataTable
      columns={columns}
      data={rows}
      label="API credentials"
      rowKey={(r) => r.id}
      empty={
        <EmptyState
          title="No credentials match these filters"
          action={
            <Link className="text-sm text-indigo-700 hover:underline" href={clearHref}>
              Clear all filters
            </Link>
          }
        >
          Every live credential in your view is shown without filters; revoked and expired ones under Status.
        </EmptyState>
      }
    />
  );
}
