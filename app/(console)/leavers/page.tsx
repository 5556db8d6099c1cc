import { FileUp, Layers } from "lucide-react";
import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { humanize } from "@/components/ui/status";
import { leaverCaseStatus, leaverReason } from "@/db/schema/enums";
import { can } from "@/lib/authz";
import { queryOf } from "@/lib/input";
import { REASON_LABELS } from "@/lib/leavers/labels";
import { caseListInput, listAssignees, listBatches, listCases } from "@/lib/leavers/queries";
import { queueStats } from "@/lib/leavers/stats";
import { listDepartments } from "@/lib/people/queries";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { QueueTable } from "./_components/queue-table";

export const metadata: Metadata = { title: "Leaver queue" };

type Search = Record<string, string | undefined>;

export default async function LeaversPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("leavers.read");
  const params = await searchParams;
  const input = queryOf(caseListInput, params);
  const canManage = can(ctx.actor, "leavers.manage");
  const [page, stats, batches, departments, assignees, tz] = await Promise.all([
    listCases(ctx, input),
    queueStats(ctx),
    // Batch names describe whole imports (e.g. a restructuring): only for those who work the queue.
    canManage ? listBatches(ctx, 30) : Promise.resolve([]),
    can(ctx.actor, "people.read") ? listDepartments(ctx) : Promise.resolve([]),
    canManage ? listAssignees(ctx) : Promise.resolve([]),
    viewerTimeZone(),
  ]);
  const filters = Object.entries({
    status: input.status,
    reason: input.reason,
    department: input.department?.toString(),
    batch: input.batch?.toString(),
    breached: input.breached,
    assignee: input.assignee?.toString(),
  }).filter((e): e is [string, string] => Boolean(e[1]));
  const filterQuery = new URLSearchParams(filters).toString();

  return (
    <>
      <PageHeader
        title="Leaver queue"
        description="Open cases, riskiest first: privileged grants and bulk-data credentials still live, and time past the SLA, push a case up. Every task is executed through its system's connector and verified by re-reading the target."
        actions={
          canManage ? (
            <>
              {batches[0] ? (
                <ButtonLink href={`/leavers/batches/${batches[0].id}`} variant="secondary">
                  <Layers className="size-4" aria-hidden /> Latest batch
                </ButtonLink>
              ) : null}
              <ButtonLink href="/leavers/import" variant="primary">
                <FileUp className="size-4" aria-hidden /> Import HR file
              </ButtonLink>
            </>
          ) : null
        }
      />
      <div className="mb-5 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat
          label="Open cases"
          value={stats.open.toLocaleString("en-US")}
          hint={`${stats.unassigned} unassigned`}
          href="/leavers"
        />
        <Stat
          label="SLA breached"
          value={stats.breached.toLocaleString("en-US")}
          tone={stats.breached ? "danger" : "success"}
          href="/leavers?breached=1"
        />
        <Stat
          label="Reopened by drift"
          value={stats.reopened}
          tone={stats.reopened ? "danger" : "neutral"}
          href="/leavers?status=reopened"
        />
        <Stat
          label="Privileged items live"
          value={stats.privileged.toLocaleString("en-US")}
          tone={stats.privileged ? "warning" : "success"}
        />
        <Stat
          label="Bulk-data credentials live"
          value={stats.bulk.toLocaleString("en-US")}
          tone={stats.bulk ? "danger" : "success"}
        />
        <Stat
          label="Failed tasks"
          value={stats.failed.toLocaleString("en-US")}
          tone={stats.failed ? "danger" : "success"}
          hint="retrying or waiting for a person"
        />
      </div>
      <Card>
        <FilterBar
          action="/leavers"
          selects={[
            {
              name: "status",
              label: "Status",
              value: input.status,
              options: [...leaverCaseStatus.enumValues, "all"].map((s) => ({
                value: s,
                label: s === "all" ? "All, including closed" : humanize(s),
              })),
            },
            {
              name: "reason",
              label: "Reason",
              value: input.reason,
              options: leaverReason.enumValues.map((r) => ({ value: r, label: REASON_LABELS[r] })),
            },
            ...(departments.length
              ? [
                  {
                    name: "department",
                    label: "Department",
                    value: input.department,
                    options: departments.map((d) => ({ value: d.id, label: d.name })),
                  },
                ]
              : []),
            {
              name: "breached",
              label: "SLA",
              value: input.breached,
              options: [{ value: "1", label: "Breached only" }],
            },
            ...(batches.length
              ? [
                  {
                    name: "batch",
                    label: "Batch",
                    value: input.batch,
                    options: batches.map((b) => ({
                      value: b.id,
                      label: b.name.length > 48 ? `${b.name.slice(0, 47)}…` : b.name,
                    })),
                  },
                ]
              : []),
            ...(canManage
              ? [
                  {
                    name: "assignee",
                    label: "Assignee",
                    value: input.assignee,
                    options: [
                      { value: "me", label: "Me" },
                      { value: "none", label: "Unassigned" },
                    ],
                  },
                ]
              : []),
          ]}
          exportHref={`/api/leavers/export${filterQuery ? `?${filterQuery}` : ""}`}
        />
        <QueueTable
          rows={page.items}
          tz={tz}
          now={ctx.now.toISOString()}
          canManage={canManage}
          assignees={assignees}
          meId={ctx.actor.id}
        />
        <KeysetPager
          basePath="/leavers"
          params={params}
          next={page.next}
          prev={page.prev}
          shown={page.items.length}
          noun="cases"
        />
      </Card>
    </>
  );
}
