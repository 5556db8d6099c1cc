import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { EndpointRow } from "@/lib/api-scopes/endpoints";
import { scopeSetsText } from "@/lib/api-scopes/rules";
import { EndpointEditor } from "./endpoint-editor";

/** Endpoints ranked: bulk first, then by how many live credentials can call them; the count links to them. */
export function EndpointsTable({
  rows,
  canManage,
  showSystem,
}: {
  rows: (EndpointRow & { system?: string })[];
  canManage: boolean;
  showSystem?: boolean;
}) {
  if (rows.length === 0)
    return (
      <EmptyState title="No endpoints recorded">
        Import the system&apos;s OpenAPI document to record what its scopes reach.
      </EmptyState>
    );
  return (
    <Table label="Endpoints">
      <THead>
        <tr>
          <TH>Endpoint</TH>
          {showSystem ? <TH>System</TH> : null}
          <TH>Scope</TH>
          <TH>Volume</TH>
          <TH>Data classes</TH>
          <TH className="text-right">Weight</TH>
          <TH className="text-right">Live credentials that can call it</TH>
          {canManage ? (
            <TH>
              <span className="sr-only">Edit</span>
            </TH>
          ) : null}
        </tr>
      </THead>
      <tbody>
        {rows.map((e) => (
          <TR key={e.id} className={e.bulk ? "bg-red-50/30" : undefined}>
            <TD>
              <p className="font-mono text-xs whitespace-nowrap">
                <span className="mr-1.5 inline-block w-12 font-semibold text-slate-500">{e.method}</span>
                {e.path}
              </p>
              {e.description ? <p className="mt-0.5 max-w-md text-xs text-slate-500">{e.description}</p> : null}
            </TD>
            {showSystem ? <TD className="text-xs">{e.system}</TD> : null}
            <TD>
              <code className="rounded bg-slate-100 px-1 text-[11px]">{scopeSetsText(e.scopeSets)}</code>
            </TD>
            <TD>
              {e.bulk ? (
                <Badge tone="danger">
                  bulk
                  {e.maxRecordsPerCall ? ` ≤${e.maxRecordsPerCall.toLocaleString("en-US")}/call` : ", no stated max"}
                </Badge>
              ) : (
                <span className="text-xs text-slate-500">single record</span>
              )}
            </TD>
            <TD className="text-xs">
              {e.dataClasses.length ? e.dataClasses.join(", ") : <span className="text-slate-400">unclassified</span>}
            </TD>
            <TD className="text-right tabular-nums">{e.weight}</TD>
            <TD className="text-right whitespace-nowrap">
              {e.reach > 0 ? (
                <Link
                  href={`/api-scopes?endpoint=${e.id}`}
                  className="font-semibold text-indigo-700 hover:underline"
                  aria-label={`${e.reach} credentials can call ${e.method} ${e.path}`}
                >
                  {e.reach.toLocaleString("en-US")} →
                </Link>
              ) : (
                <span className="text-slate-400">0</span>
              )}
              {e.orphanedReach > 0 ? (
                <Link
                  href={`/api-scopes?endpoint=${e.id}&finding=orphaned`}
                  className="ml-2 text-xs font-medium text-red-700 hover:underline"
                >
                  {e.orphanedReach} orphaned
                </Link>
              ) : null}
            </TD>
            {canManage ? (
              <TD>
                <EndpointEditor
                  endpointId={e.id}
                  label={`${e.method} ${e.path}`}
                  bulk={e.bulk}
                  maxRecordsPerCall={e.maxRecordsPerCall}
                  dataClasses={e.dataClasses}
                />
              </TD>
            ) : null}
          </TR>
        ))}
      </tbody>
    </Table>
  );
}
