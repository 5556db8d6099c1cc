import { Download } from "lucide-react";
import type { Metadata } from "next";
import { Suspense } from "react";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { slotKeys } from "@/components/ui/skeleton";
import { can } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { describeCell, listCellPeople } from "@/lib/factors/people";
import { type CellFilters, type CellPeopleInput, cellPeopleInput } from "@/lib/factors/schemas";
import { STRENGTH_LABELS, type Strength } from "@/lib/factors/strength";
import { channelLabel, OUTCOME_LABELS } from "@/lib/factors/what-if";
import { pageContext } from "@/lib/session";
import { timeZoneLabel } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { CellPeopleTable } from "../_components/cell-people-table";

export const metadata: Metadata = { title: "People by factor strength" };

type Search = Record<string, string | undefined>;
const FILTER_KEYS = ["department", "system", "strength", "mode", "privileged", "channel", "outcome"] as const;

function summary(f: CellFilters, names: { department?: string; system?: string }): string[] {
  const parts: string[] = [];
  if (f.channel && f.outcome)
    parts.push(`${channelLabel(f.channel)} outage: ${OUTCOME_LABELS[f.outcome].toLowerCase()}`);
  if (names.department)
    parts.push(f.department === 0 ? names.department : `${names.department} and the teams below it`);
  if (names.system) parts.push(`privileged accounts on ${names.system}`);
  if (f.strength !== undefined)
    parts.push(`${f.mode} strength ${f.strength} (${STRENGTH_LABELS[f.strength as Strength]})`);
  if (f.privileged && !names.system) parts.push("holding privileged grants");
  return parts;
}

/** The people behind a heatmap cell or a what-if figure (factors.people): everyone for analysts and admins, a manager's team for them. */
export default async function CellPeoplePage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("factors.people");
  const params = await searchParams;
  const parsed = cellPeopleInput.safeParse(params);
  const back = {
    label: "Factor strength",
    href:
      parsed.success && parsed.data.channel
        ? `/factors?view=what-if&channel=${encodeURIComponent(parsed.data.channel)}`
        : "/factors",
  };
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="People by factor strength" crumbs={[back, { label: "People" }]} />
        <Card>
          <EmptyState title="This link does not describe a heatmap cell">
            Open a cell from the factor-strength page again.
          </EmptyState>
        </Card>
      </>
    );
  }
  const input = parsed.data;
  const [names, tz] = await Promise.all([describeCell(ctx, input), viewerTimeZone()]);
  const filterQuery = new URLSearchParams(
    FILTER_KEYS.flatMap((k) => (params[k] === undefined ? [] : [[k, String(params[k])] as [string, string]])),
  ).toString();
  const parts = summary(input, names);

  return (
    <>
      <PageHeader
        title="People by factor strength"
        crumbs={[back, { label: "People" }]}
        description={parts.length ? parts.join(" · ") : "Every active person."}
        actions={
          can(ctx.actor, "people.export") ? (
            <a
              href={`/api/factors/people/export${filterQuery ? `?${filterQuery}` : ""}`}
              className={buttonClasses("secondary", "md")}
              download
            >
              <Download className="size-4" aria-hidden /> Export CSV (UTC)
            </a>
          ) : null
        }
      />
      <Card>
        <CardHeader
          title="Privileged people first, then by name"
          description={`Active factors only. The highlighted factor is the weakest path in: it sets the person's effective strength. Last use in ${timeZoneLabel(tz)}.`}
        />
        <Suspense key={JSON.stringify(input)} fallback={<ListSkeleton />}>
          <PeopleList ctx={ctx} input={input} params={params} tz={tz} />
        </Suspense>
      </Card>
    </>
  );
}

async function PeopleList({
  ctx,
  input,
  params,
  tz,
}: {
  ctx: Ctx;
  input: CellPeopleInput;
  params: Search;
  tz: string;
}) {
  const page = await listCellPeople(ctx, input);
  return (
    <>
      {page.items.length === 0 ? (
        <EmptyState title="Nobody here">
          No active person matches this cell any more — the figures may have moved since the heatmap was drawn.
        </EmptyState>
      ) : (
        <CellPeopleTable people={page.items} tz={tz} now={ctx.now} linkPeople={can(ctx.actor, "people.read")} />
      )}
      <KeysetPager
        basePath="/factors/people"
        params={params}
        next={page.next}
        prev={page.prev}
        shown={page.items.length}
        noun="people"
      />
    </>
  );
}

const SKELETON_ROWS = slotKeys("row", 8);

function ListSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the people" className="animate-pulse space-y-2 p-4">
      {SKELETON_ROWS.map((key) => (
        <div key={key} className="h-10 rounded bg-slate-100" />
      ))}
    </div>
  );
}
