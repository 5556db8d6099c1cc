import { FlaskConical, ListChecks, Plus, Settings2, Siren } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { breakGlassKind, breakGlassStatus } from "@/db/schema/enums";
import { can } from "@/lib/authz";
import { approverPoolHealth } from "@/lib/break-glass/detail";
import { listRequests, type RequestListItem } from "@/lib/break-glass/list";
import { breakGlassOverview } from "@/lib/break-glass/queries";
import { REASON_LABELS, STATUS_LABELS } from "@/lib/break-glass/rules";
import { type RequestListInput, requestListInput } from "@/lib/break-glass/schemas";
import type { Ctx } from "@/lib/context";
import { queryOf } from "@/lib/input";
import { pageContext } from "@/lib/session";
import { formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { RequestStatus, WhatAsked } from "./_components/bits";
import { Countdown } from "./_components/countdown";
import { PoolHealthCard } from "./_components/pool-health";
import { ListSkeleton } from "./_components/skeletons";

export const metadata: Metadata = { title: "Break-glass" };

type Search = Record<string, string | undefined>;

/** The request's clock in one cell: time left to decide, time left active, or when it ended. */
function Window({ r, now, tz }: { r: RequestListItem; now: Date; tz: string }) {
  if (r.status === "pending")
    return (
      <Countdown
        until={r.requestExpiresAt.toISOString()}
        serverNow={now.toISOString()}
        label="to decide"
        over="lapsed"
      />
    );
  if (r.status === "active" && r.expiresAt)
    return <Countdown until={r.expiresAt.toISOString()} serverNow={now.toISOString()} label="left" over="ending" />;
  const overdue = r.postReviewDueAt && !r.postReviewAt && r.postReviewDueAt < now;
  return (
    <span className="text-xs text-slate-600">
      {r.endedAt
        ? `ended ${formatDateTime(r.endedAt, tz)}`
        : r.expiresAt
          ? `until ${formatDateTime(r.expiresAt, tz)}`
          : "—"}
      {overdue ? <span className="block font-medium text-red-700">review overdue</span> : null}
    </span>
  );
}

export default async function BreakGlassPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("break_glass.request");
  const params = await searchParams;
  const input = queryOf(requestListInput, params);
  const approver = can(ctx.actor, "break_glass.approve");
  const admin = can(ctx.actor, "policies.manage");
  const overview = can(ctx.actor, "break_glass.read") ? await breakGlassOverview(ctx) : null;
  return (
    <>
      <PageHeader
        title="Break-glass"
        description="Account recovery and emergency access: two approvals from distinct approvers, time-boxed, never a weaker factor than the subject already has."
        actions={
          <>
            {admin ? (
              <ButtonLink href="/break-glass/policy" variant="ghost">
                <Settings2 className="size-4" aria-hidden /> Policy
              </ButtonLink>
            ) : null}
            {admin ? (
              <ButtonLink href="/break-glass/new?drill=1">
                <FlaskConical className="size-4" aria-hidden /> Run a recovery drill
              </ButtonLink>
            ) : null}
            {approver ? (
              <ButtonLink href="/break-glass/queue">
                <ListChecks className="size-4" aria-hidden /> Approvals queue
                {overview?.pending ? (
                  <span className="rounded-full bg-indigo-600 px-1.5 text-[11px] text-white">{overview.pending}</span>
                ) : null}
              </ButtonLink>
            ) : null}
            <ButtonLink href="/break-glass/new" variant="primary">
              <Plus className="size-4" aria-hidden /> Request break-glass
            </ButtonLink>
          </>
        }
      />
      <Suspense key={JSON.stringify(params)} fallback={<ListSkeleton />}>
        <ListBody ctx={ctx} params={params} input={input} overview={overview} />
      </Suspense>
    </>
  );
}

/** Everything below the header: streamed in after the permission check, with its skeleton meanwhile. */
async function ListBody({
  ctx,
  params,
  input,
  overview,
}: {
  ctx: Ctx;
  params: Search;
  input: RequestListInput;
  overview: Awaited<ReturnType<typeof breakGlassOverview>> | null;
}) {
  const seeAll = can(ctx.actor, "break_glass.read");
  const approver = can(ctx.actor, "break_glass.approve");
  const admin = can(ctx.actor, "policies.manage");
  const [page, health, active, tz] = await Promise.all([
    listRequests(ctx, { ...input, limit: 25 }),
    seeAll || admin ? approverPoolHealth(ctx) : Promise.resolve(null),
    seeAll ? listRequests(ctx, { status: "active", drill: "0", limit: 6 }) : Promise.resolve(null),
    viewerTimeZone(),
  ]);
  const filters = Object.entries<string | undefined>({
    status: input.status,
    kind: input.kind,
    drill: input.drill,
    review: input.review,
  }).filter((e): e is [string, string] => Boolean(e[1]));
  const filterQuery = new URLSearchParams(filters).toString();
  const filtered = filters.length > 0;

  return (
    <>
      {active && active.items.length > 0 ? (
        <section
          aria-labelledby="active-bg"
          className="mb-5 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 shadow-xs"
          data-testid="active-banner"
        >
          <h2 id="active-bg" className="flex items-center gap-2 text-sm font-semibold text-amber-900">
            <Siren className="size-4" aria-hidden />
            {overview?.active === 1 ? "1 break-glass is active now" : `${overview?.active} break-glass are active now`}
          </h2>
          <ul className="mt-2 grid gap-1.5 md:grid-cols-2">
            {active.items.map((r) => (
              <li
                key={r.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-white/70 px-3 py-1.5"
              >
                <Link href={`/break-glass/${r.id}`} className="min-w-0 text-sm hover:underline">
                  <span className="font-medium text-slate-900">{r.subject.name}</span>{" "}
                  <span className="text-slate-700">
                    {r.kind === "emergency_access"
                      ? `${r.entitlement} on ${r.system}`
                      : "account recovery (pass issued)"}
                  </span>
                </Link>
                {r.expiresAt ? (
                  <Countdown
                    until={r.expiresAt.toISOString()}
                    serverNow={ctx.now.toISOString()}
                    label="left"
                    over="ending"
                  />
                ) : null}
              </li>
            ))}
          </ul>
          {overview && overview.active > active.items.length ? (
            <Link href="/break-glass?status=active" className="mt-2 inline-block text-xs text-amber-900 underline">
              All {overview.active} active
            </Link>
          ) : null}
        </section>
      ) : null}

      {overview || health ? (
        <div className="mb-5 grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          {overview ? (
            <div className="grid grid-cols-2 gap-3">
              <Stat
                label="Waiting for approval"
                value={overview.pending}
                href={approver ? "/break-glass/queue" : "/break-glass?status=pending"}
                tone={overview.pending ? "warning" : "neutral"}
              />
              <Stat
                label="Active now"
                value={overview.active}
                href="/break-glass?status=active&drill=0"
                tone={overview.active ? "warning" : "success"}
                hint="emergency access or recovery passes live"
              />
              <Stat
                label="Post-incident reviews overdue"
                value={overview.overdueReviews}
                href="/break-glass?review=overdue"
                tone={overview.overdueReviews ? "danger" : "success"}
                hint="every use is reviewed within the policy's days"
              />
              <Stat
                label="Last recovery drill"
                value={overview.lastDrill ? formatRelative(overview.lastDrill.at, ctx.now) : "never"}
                href="/break-glass?drill=1"
                tone={overview.lastDrill ? "neutral" : "warning"}
                hint={
                  overview.lastDrill
                    ? `${formatDateTime(overview.lastDrill.at, tz)} · approved in ${overview.lastDrill.minutesToApproval ?? "?"} min`
                    : admin
                      ? "run one to prove the flow works before it is needed"
                      : "an administrator runs drills"
                }
              />
            </div>
          ) : null}
          {health ? <PoolHealthCard health={health} editable={admin} /> : null}
        </div>
      ) : null}

      <Card>
        <FilterBar
          action="/break-glass"
          selects={[
            {
              name: "status",
              label: "Status",
              value: input.status,
              options: [
                { value: "open", label: "Open (pending, active)" },
                ...breakGlassStatus.enumValues.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
              ],
            },
            {
              name: "kind",
              label: "Kind",
              value: input.kind,
              options: breakGlassKind.enumValues.map((k) => ({
                value: k,
                label: k === "emergency_access" ? "Emergency access" : "Account recovery",
              })),
            },
            {
              name: "drill",
              label: "Drills",
              value: input.drill,
              options: [
                { value: "0", label: "Real requests only" },
                { value: "1", label: "Drills only" },
              ],
            },
            ...(seeAll
              ? [
                  {
                    name: "review",
                    label: "Post-incident review",
                    value: input.review,
                    options: [{ value: "overdue", label: "Overdue" }],
                  },
                ]
              : []),
          ]}
          exportHref={`/api/break-glass/export${filterQuery ? `?${filterQuery}` : ""}`}
        />
        {page.items.length === 0 ? (
          <EmptyState
            icon={Siren}
            title={
              filtered
                ? "No requests match these filters"
                : seeAll
                  ? "No break-glass requests yet"
                  : "You have no break-glass requests"
            }
            action={
              filtered ? (
                <ButtonLink href="/break-glass" size="sm">
                  Clear filters
                </ButtonLink>
              ) : (
                <ButtonLink href="/break-glass/new" variant="primary" size="sm">
                  <Plus className="size-3.5" aria-hidden /> Request break-glass
                </ButtonLink>
              )
            }
          >
            {filtered
              ? null
              : "When a factor breaks or an incident needs privileged access now, ask here: two approvers decide, and it ends by itself."}
          </EmptyState>
        ) : (
          <Table label="Break-glass requests">
            <THead>
              <tr>
                <TH>#</TH>
                <TH>Subject</TH>
                <TH>Asked for</TH>
                <TH>Reason</TH>
                <TH>Requested</TH>
                <TH className="text-right">Approvals</TH>
                <TH>Status</TH>
                <TH>Window</TH>
              </tr>
            </THead>
            <tbody>
              {page.items.map((r) => (
                <TR key={r.id}>
                  <TD className="font-mono text-xs">
                    <Link href={`/break-glass/${r.id}`} className="text-indigo-700 hover:underline">
                      #{r.id}
                    </Link>
                  </TD>
                  <TD className="min-w-28">
                    <Link href={`/break-glass/${r.id}`} className="font-medium text-slate-900 hover:underline">
                      {r.subject.name}
                    </Link>
                    {r.requester.id !== r.subject.id ? (
                      <p className="text-[11px] text-slate-500">on their behalf</p>
                    ) : null}
                  </TD>
                  <TD className="text-sm">
                    <WhatAsked
                      kind={r.kind}
                      entitlement={r.entitlement}
                      system={r.system}
                      recoveryFactor={r.recoveryFactor}
                      drill={r.drill}
                      compact
                    />
                  </TD>
                  <TD className="max-w-64 text-xs text-slate-600">
                    {r.reasonCode !== "other" || r.ticketRef ? (
                      <p className="font-medium text-slate-700">
                        {r.reasonCode !== "other" ? REASON_LABELS[r.reasonCode] : null}
                        {r.ticketRef ? <span className="ml-1 font-mono text-slate-500">{r.ticketRef}</span> : null}
                      </p>
                    ) : null}
                    <p className="line-clamp-2">{r.reason}</p>
                  </TD>
                  <TD className="text-xs">
                    {r.requester.name}
                    <p className="whitespace-nowrap text-slate-500">{formatDateTime(r.createdAt, tz)}</p>
                  </TD>
                  <TD className="text-right tabular-nums">
                    {r.approvals}/{r.required}
                  </TD>
                  <TD>
                    <RequestStatus status={r.status} activated={Boolean(r.activatedAt)} drill={r.drill} />
                  </TD>
                  <TD>
                    <Window r={r} now={ctx.now} tz={tz} />
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
        <KeysetPager
          basePath="/break-glass"
          params={params}
          next={page.next}
          prev={page.prev}
          shown={page.items.length}
          noun="requests"
        />
      </Card>
    </>
  );
}
