import { FileUp } from "lucide-react";
import type { Metadata } from "next";
import { Suspense } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { departmentHeatmap, loadDepartments, systemHeatmap } from "@/lib/factors/heatmap";
import { type HeatmapParams, heatmapParams } from "@/lib/factors/schemas";
import { postureTrend } from "@/lib/factors/trend";
import { outageByDepartment, outageChannels } from "@/lib/factors/what-if-sql";
import { queryOf } from "@/lib/input";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { pctText } from "./_components/heat";
import { HeatLegend } from "./_components/heat-legend";
import { HeatmapTree, type HeatRow } from "./_components/heatmap-tree";
import { Segmented } from "./_components/segmented";
import { SystemTable } from "./_components/system-table";
import { TrendCard } from "./_components/trend-card";
import { ViewSkeleton } from "./_components/view-skeleton";
import { type FactorsView, ViewTabs } from "./_components/view-tabs";
import { WhatIfView } from "./_components/what-if-view";

export const metadata: Metadata = { title: "Factor strength" };

type Search = Record<string, string | undefined>;

/** URLs of this page and of the people behind a figure (analysts and admins only), keeping the switches. */
function links(p: HeatmapParams, canDrill: boolean) {
  const qs = (o: Record<string, string | number | undefined | false>) =>
    new URLSearchParams(
      Object.entries(o)
        .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== false)
        .map(([k, v]) => [k, String(v)]),
    ).toString();
  const page = (patch: Partial<{ view: FactorsView; mode: string; privileged: boolean; channel: string }>) => {
    const s = { view: p.view, mode: p.mode, privileged: p.privileged, channel: p.channel, ...patch };
    const q = qs({
      view: s.view === "departments" ? undefined : s.view,
      mode: s.mode === "effective" ? undefined : s.mode,
      privileged: s.privileged && "1",
      channel: s.view === "what-if" ? s.channel : undefined,
    });
    return q ? `/factors?${q}` : "/factors";
  };
  const people = (f: Record<string, string | number | undefined | false>) =>
    canDrill ? `/factors/people?${qs(f)}` : null;
  return { page, people };
}

export default async function FactorsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("factors.aggregate");
  const params = queryOf(heatmapParams, await searchParams);
  const canDrill = can(ctx.actor, "factors.people");
  const teamScoped = peopleReach(ctx.actor) === "team";
  const { page } = links(params, canDrill);

  return (
    <>
      <PageHeader
        title="Factor strength"
        description={`${teamScoped ? "Your team" : "Everyone"}, by how strongly they can be authenticated. Effective strength is the weaker of the best sign-in factor and the weakest recovery path: a security key with SMS recovery is an SMS-strength person. (The dashboard's phishing-resistant coverage counts everyone who holds such a factor; here only those whose every way in is that strong reach 4–5.)`}
        actions={
          can(ctx.actor, "factors.manage") ? (
            <ButtonLink href="/factors/import" variant="secondary">
              <FileUp className="size-4" aria-hidden /> Import factors
            </ButtonLink>
          ) : null
        }
      />
      <ViewTabs current={params.view} hrefFor={(view) => page({ view })} />
      {/* Streams after the permission check above, so a refused viewer still gets a real 403. */}
      <Suspense key={JSON.stringify(params)} fallback={<ViewSkeleton />}>
        {params.view === "what-if" ? (
          <WhatIf ctx={ctx} params={params} canDrill={canDrill} />
        ) : params.view === "systems" ? (
          <Systems ctx={ctx} params={params} canDrill={canDrill} />
        ) : (
          <Departments ctx={ctx} params={params} canDrill={canDrill} teamScoped={teamScoped} />
        )}
      </Suspense>
    </>
  );
}

type ViewProps = { ctx: Ctx; params: HeatmapParams; canDrill: boolean };

async function Departments({ ctx, params, canDrill, teamScoped }: ViewProps & { teamScoped: boolean }) {
  const { page, people } = links(params, canDrill);
  const [heatmap, trend, tz] = await Promise.all([
    departmentHeatmap(ctx, { privilegedOnly: params.privileged }),
    postureTrend(ctx, { privilegedOnly: params.privileged }),
    viewerTimeZone(),
  ]);
  const measure = params.mode === "effective" ? "effective" : "primary";
  const cellHrefs = (department: number | null | undefined) =>
    canDrill
      ? [0, 1, 2, 3, 4, 5].map((s) =>
          people({
            department: department === undefined ? undefined : (department ?? 0),
            strength: s,
            mode: params.mode,
            privileged: params.privileged && "1",
          }),
        )
      : null;
  const rows: HeatRow[] = heatmap.rows.map((r) => ({
    key: String(r.id),
    parentKey: r.parentId === null ? null : String(r.parentId),
    name: r.name,
    depth: r.depth,
    hasChildren: r.hasChildren,
    counts: r.value[measure],
    total: r.value.people,
    gap: r.value.gap,
    hrefs: cellHrefs(r.id),
  }));
  const { total } = heatmap;
  return (
    <>
      <Card>
        <CardHeader
          title={`People by department and ${measure === "effective" ? "effective strength" : "primary strength (sign-in factor only)"}${params.privileged ? " — holding privileged grants" : ""}`}
          description={
            canDrill
              ? "Open a cell for the people in it, their factors and the path that makes them weak."
              : "Aggregates only: counts and shares per department."
          }
          actions={
            <>
              <Segmented
                label="Strength measure"
                options={[
                  { label: "Effective", href: page({ mode: "effective" }), current: params.mode === "effective" },
                  { label: "Primary only", href: page({ mode: "primary" }), current: params.mode === "primary" },
                ]}
              />
              <Segmented
                label="Population"
                options={[
                  { label: "All people", href: page({ privileged: false }), current: !params.privileged },
                  { label: "Privileged", href: page({ privileged: true }), current: params.privileged },
                ]}
              />
            </>
          }
        />
        {total.people === 0 ? (
          <EmptyState title="No people in view">
            {params.privileged ? "Nobody in scope holds a live privileged grant." : "Nobody in scope is active."}
          </EmptyState>
        ) : (
          <>
            <p
              role="note"
              className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900"
              data-testid="gap-note"
            >
              <strong className="font-semibold">
                Fallback-path gap: {total.gap.toLocaleString("en-US")} people ({pctText(total.gap, total.people)})
              </strong>{" "}
              have a recovery path weaker than their best sign-in factor — the difference between the primary-only and
              effective views.{" "}
              {measure === "primary"
                ? "Switch to Effective to see where they really stand."
                : "Switch to Primary only to see the strength they think they have."}
            </p>
            <HeatmapTree
              rows={rows}
              total={{ counts: total[measure], total: total.people, gap: total.gap, hrefs: cellHrefs(undefined) }}
              measureLabel={`${measure} strength`}
            />
            <HeatLegend note={teamScoped ? "Your team only." : undefined} />
          </>
        )}
      </Card>
      <TrendCard points={trend} tz={tz} privilegedOnly={params.privileged} teamScoped={teamScoped} />
    </>
  );
}

async function Systems({ ctx, params, canDrill }: ViewProps) {
  const { page, people } = links(params, canDrill);
  const rows = await systemHeatmap(ctx, { mode: params.mode });
  return (
    <Card>
      <CardHeader
        title={`Privileged accounts by system and the holder's ${params.mode === "effective" ? "effective" : "primary"} strength`}
        description="Each active account holding a live privileged grant, counted under the strength of the person who holds it. Most critical systems first."
        actions={
          <Segmented
            label="Strength measure"
            options={[
              { label: "Effective", href: page({ mode: "effective" }), current: params.mode === "effective" },
              { label: "Primary only", href: page({ mode: "primary" }), current: params.mode === "primary" },
            ]}
          />
        }
      />
      <SystemTable
        rows={rows}
        hrefFor={canDrill ? (system, strength) => people({ system, strength, mode: params.mode })! : null}
      />
      <HeatLegend />
    </Card>
  );
}

async function WhatIf({ ctx, params, canDrill }: ViewProps) {
  const { people } = links(params, canDrill);
  const channels = await outageChannels(ctx);
  const channel =
    params.channel && channels.some((c) => c.channel === params.channel)
      ? params.channel
      : (channels.find((c) => c.channel === "sms") ?? channels[0])?.channel;
  const report = channel ? await outageByDepartment(ctx, channel, await loadDepartments(ctx)) : null;
  const hrefFor =
    canDrill && channel
      ? (department: number | null, outcome: string, privileged: boolean) =>
          people({ channel, outcome, department: department ?? undefined, privileged: privileged && "1" })!
      : null;
  return <WhatIfView channels={channels} channel={channel} report={report} hrefFor={hrefFor} />;
}
