import { Download } from "lucide-react";
import type { Metadata } from "next";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditActions, listAuditEvents } from "@/lib/audit/queries";
import { auditListInput } from "@/lib/audit/schemas";
import { outboxStatus } from "@/lib/events/status";
import { queryOf } from "@/lib/input";
import { pageContext } from "@/lib/session";
import { timeZoneLabel } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AuditTable } from "./_components/audit-table";
import { ChainStatus } from "./_components/chain-status";
import { DeliveryStatus } from "./_components/delivery-status";

export const metadata: Metadata = { title: "Audit" };

const input =
  "h-9 rounded-md border border-slate-300 bg-white px-2 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none";

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("audit.read");
  const params = await searchParams;
  const filters = queryOf(auditListInput, params);
  const tz = await viewerTimeZone();
  const [page, actions, delivery] = await Promise.all([
    listAuditEvents(ctx, filters, tz),
    listAuditActions(ctx),
    outboxStatus(ctx),
  ]);
  const exportQuery = new URLSearchParams(
    Object.entries({
      actor: filters.actor,
      action: filters.action,
      target: filters.target,
      from: filters.from,
      to: filters.to,
    }).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in Lockstep, append-only and hash-chained: each event carries the hash of the one before, so any edit or deletion breaks the chain."
      />
      <ChainStatus />
      <DeliveryStatus consumers={delivery} tz={tz} />
      <Card>
        {/* <search> is the search landmark itself (role="search" on the form said the same, less directly). */}
        <search>
          <form
            action="/audit"
            method="get"
            className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-3 py-3"
          >
            <label className="flex flex-col gap-0.5">
              <span className="text-[11px] font-medium text-slate-500">Actor</span>
              <input name="actor" defaultValue={filters.actor} placeholder="Name contains" className={input} />
            </label>
            <label className="flex flex-col gap-0.5">
              <span className="text-[11px] font-medium text-slate-500">Action</span>
              <input
                name="action"
                defaultValue={filters.action}
                placeholder="e.g. leaver.close or leaver."
                list="audit-actions"
                className={input}
              />
              <datalist id="audit-actions">
                {actions.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </label>
            <label className="flex flex-col gap-0.5">
              <span className="text-[11px] font-medium text-slate-500">Target</span>
              <input name="target" defaultValue={filters.target} placeholder="identity:42 or label" className={input} />
            </label>
            <label className="flex flex-col gap-0.5">
              <span className="text-[11px] font-medium text-slate-500">From ({timeZoneLabel(tz)})</span>
              <input type="date" name="from" defaultValue={filters.from} className={input} />
            </label>
            <label className="flex flex-col gap-0.5">
              <span className="text-[11px] font-medium text-slate-500">To</span>
              <input type="date" name="to" defaultValue={filters.to} className={input} />
            </label>
            <button type="submit" className={buttonClasses("primary")}>
              Apply
            </button>
            <a
              href={`/api/audit/export${exportQuery ? `?${exportQuery}` : ""}`}
              className={buttonClasses("secondary", "md", "ml-auto")}
              download
            >
              <Download className="size-4" aria-hidden /> Export CSV (UTC)
            </a>
          </form>
        </search>
        <AuditTable rows={page.items} tz={tz} />
        <KeysetPager
          basePath="/audit"
          params={params}
          next={page.next}
          prev={page.prev}
          shown={page.items.length}
          noun="events"
        />
      </Card>
    </>
  );
}
