import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { humanize } from "@/components/ui/status";
import { leaverCaseStatus, leaverReason } from "@/db/schema/enums";
import { caseListInput, listCases } from "@/lib/leavers/queries";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { CasesTable } from "./_components/cases-table";

export const metadata: Metadata = { title: "Leavers" };

export default async function LeaversPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const ctx = await pageContext("leavers.read");
  const params = await searchParams;
  const input = caseListInput.parse(params);
  const [page, tz] = await Promise.all([listCases(ctx, input), viewerTimeZone()]);
  return (
    <>
      <PageHeader title="Leaver cases" description="Every leaver gets a case with one revocation task per thing they hold; a case closes only when every task is verified." />
      <Card>
        <FilterBar
          action="/leavers"
          selects={[
            { name: "status", label: "Status", value: input.status, options: [...leaverCaseStatus.enumValues, "all"].map((s) => ({ value: s, label: s === "all" ? "All, including closed" : humanize(s) })) },
            { name: "reason", label: "Reason", value: input.reason, options: leaverReason.enumValues.map((r) => ({ value: r, label: humanize(r) })) },
          ]}
        />
        <CasesTable rows={page.items} tz={tz} now={ctx.now.toISOString()} />
        <KeysetPager basePath="/leavers" params={params} next={page.next} prev={page.prev} shown={page.items.length} noun="cases" />
      </Card>
    </>
  );
}
