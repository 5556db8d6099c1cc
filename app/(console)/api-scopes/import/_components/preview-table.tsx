import { Badge } from "@/components/ui/badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { EndpointRowData } from "@/lib/api-scopes/openapi/import";
import { scopeSetsText } from "@/lib/api-scopes/rules";
import type { StoredRow } from "@/lib/imports";

/** New and changed endpoints as the import would write them; changed fields show the value they replace. */
export function PreviewTable({ rows: stored }: { rows: StoredRow[] }) {
  const rows = stored.map((r) => ({ ...(r.data as EndpointRowData), state: r.code === "new" ? "new" : "changed" }));
  if (rows.length === 0)
    return (
      <p className="px-4 py-3 text-sm text-slate-600">
        Nothing to add or change: the recorded endpoints already match this document.
      </p>
    );
  const was = (c: (typeof rows)[number], f: string, v: string) =>
    c.before && c.fields.includes(f) ? (
      <span className="block text-[11px] text-slate-400 line-through">{v}</span>
    ) : null;
  return (
    <Table label="Endpoints to import">
      <THead>
        <tr>
          <TH>Change</TH>
          <TH>Endpoint</TH>
          <TH>Scope</TH>
          <TH>Bulk</TH>
          <TH>Data classes</TH>
        </tr>
      </THead>
      <tbody>
        {rows.map((c) => {
          const e = c.endpoint;
          const b = c.before;
          return (
            <TR key={`${e.method} ${e.path}`}>
              <TD>
                <Badge tone={c.state === "new" ? "success" : "warning"}>{c.state}</Badge>
              </TD>
              <TD className="font-mono text-xs whitespace-nowrap">
                <span className="mr-1.5 font-semibold text-slate-500">{e.method}</span>
                {e.path}
              </TD>
              <TD>
                {/* Runs previewed before scope sets were recorded carry only the scope. */}
                <code className="text-[11px]">{scopeSetsText(e.scopeSets ?? [[e.scope]])}</code>
                {b ? was(c, "scopeSets", scopeSetsText(b.scopeSets)) : null}
                {e.records ? <p className="text-[11px] text-slate-500">records: {e.records}</p> : null}
                {e.contactLookup ? <Badge tone="danger">contact lookup</Badge> : null}
              </TD>
              <TD className="text-xs">
                {e.bulk ? `bulk${e.maxRecordsPerCall ? ` ≤${e.maxRecordsPerCall.toLocaleString("en-US")}` : ""}` : "—"}
                {b
                  ? (was(c, "bulk", b.bulk ? "bulk" : "—") ??
                    was(c, "maxRecordsPerCall", String(b.maxRecordsPerCall ?? "no max")))
                  : null}
              </TD>
              <TD className="text-xs">
                {e.dataClasses.join(", ") || "unclassified"}
                {b ? was(c, "dataClasses", b.dataClasses.join(", ") || "unclassified") : null}
              </TD>
            </TR>
          );
        })}
      </tbody>
    </Table>
  );
}
