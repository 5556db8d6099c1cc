import type { Metadata } from "next";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { formatBytes } from "@/lib/imports/format";
import { hrLeaversImport, MAX_IMPORT_ROWS } from "@/lib/leavers/import";
import { pageContext } from "@/lib/session";
import { ImportFlow } from "./_components/import-flow";

export const metadata: Metadata = { title: "Import HR file" };

const SAMPLE =
  "employee_number,email,reason,effective_at,last_day\nE00123,,layoff,2026-11-02T17:00:00Z,2026-11-02\n,jane.doe@example.com,voluntary,,2026-11-30\n";

export default async function ImportPage() {
  await pageContext("leavers.manage");
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Leavers", href: "/leavers" }, { label: "Import HR file" }]}
        title="Import an HR file"
        description="Upload the HR system's leaver file. You see every row and what will happen to it before anything is written; confirming opens all good rows as one batch, in one transaction."
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_320px]">
        <ImportFlow maxBytes={hrLeaversImport.maxBytes} />
        <Card>
          <CardBody className="text-sm text-slate-700">
            <h2 className="mb-2 text-sm font-semibold text-slate-900">File format</h2>
            <p className="mb-2">
              CSV with a header row, up to {formatBytes(hrLeaversImport.maxBytes)} and{" "}
              {MAX_IMPORT_ROWS.toLocaleString("en-US")} rows. Columns (names are case-insensitive):
            </p>
            <ul className="mb-3 list-disc space-y-1 pl-5 text-xs">
              <li>
                <code>employee_number</code> or <code>email</code> — who is leaving
              </li>
              <li>
                <code>reason</code> — voluntary, involuntary, layoff or contract_end
              </li>
              <li>
                <code>effective_at</code> — when access must start going (ISO 8601, e.g. 2026-11-02T17:00:00Z); empty
                for involuntary or layoff rows means “on import”
              </li>
              <li>
                <code>last_day</code> — YYYY-MM-DD; voluntary and contract-end SLAs end with it (in the
                organisation&apos;s time zone)
              </li>
            </ul>
            <p className="mb-3 text-xs text-slate-500">
              People who already have an open case, and the same person twice in a file, are reported and never
              duplicated.
            </p>
            <a
              className="text-xs font-medium text-indigo-700 hover:underline"
              download="leavers-template.csv"
              href={`data:text/csv;charset=utf-8,${encodeURIComponent(SAMPLE)}`}
            >
              Download a template
            </a>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
