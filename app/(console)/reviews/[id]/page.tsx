import { Download, FileCheck2, ListChecks } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { ButtonLink, buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status";
import { AUTO_CLOSE_AFTER_DAYS } from "@/lib/reviews/jobs";
import { campaignReviewers, getCampaign } from "@/lib/reviews/queries";
import { restorableItems } from "@/lib/reviews/restorable";
import { POLICY_LABELS } from "@/lib/reviews/rules";
import { campaignPageInput } from "@/lib/reviews/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDate, formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AutoRefresh } from "../../_remediation/auto-refresh";
import { ProgressBar } from "../../leavers/_components/progress-bar";
import { CompletionBar } from "../_components/completion-bar";
import { KIND_LABELS } from "../_components/kind-label";
import { RestorePanel } from "../_components/restore-panel";
import { CampaignActions } from "./_components/campaign-actions";
import { DecisionSummary } from "./_components/decision-summary";
import { ReviewersTable } from "./_components/reviewers-table";

export const metadata: Metadata = { title: "Review campaign" };

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const parsed = campaignPageInput.safeParse({ ...(await searchParams), id: (await params).id });
  if (!parsed.success) notFound();
  const input = parsed.data;
  const ctx = await pageContext("reviews.manage");
  const c = await orNotFound(getCampaign(ctx, input.id));
  const [reviewers, restorable, tz] = await Promise.all([
    c.status === "draft" ? null : campaignReviewers(ctx, c.id, input),
    c.progress.restorable ? restorableItems(ctx, c.id) : [],
    viewerTimeZone(),
  ]);
  const overdue = c.status === "active" && c.dueAt < ctx.now;
  const r = c.remediation;
  const undecided = c.progress.items - c.progress.decided;
  const changes = c.decisions
    .filter((d) => d.decision === "revoke" || d.decision === "reduce")
    .reduce((a, d) => a + d.n, 0);
  const facts: [string, React.ReactNode][] = [
    ["Kind", KIND_LABELS[c.kind]],
    [
      c.status === "closed" ? "Closed" : "Due",
      c.status === "closed" ? (
        `${formatDateTime(c.closedAt, tz)}${c.closedBy ? ` by ${c.closedBy}` : " by the system"}`
      ) : (
        <span key="due">
          {formatDateTime(c.dueAt, tz)}{" "}
          {overdue ? (
            <Badge tone="danger">overdue</Badge>
          ) : (
            <span className="text-slate-500">({formatRelative(c.dueAt, ctx.now)})</span>
          )}
        </span>
      ),
    ],
    ["No response", POLICY_LABELS[c.noResponsePolicy].label],
    ["Stages", c.stages === 2 ? "Two (don't know → system owner)" : "One"],
    ["Fallback reviewer", c.fallback ?? (c.status === "draft" ? "whoever launches it" : "—")],
    ["Reminders", `every ${c.reminderEveryDays} day${c.reminderEveryDays === 1 ? "" : "s"}`],
    ["Rollback window", `${c.rollbackDays} day${c.rollbackDays === 1 ? "" : "s"}`],
    [
      c.status === "draft" ? "Created" : "Started",
      `${formatDate(c.status === "draft" ? c.createdAt : c.startsAt, tz)}${c.createdBy ? ` by ${c.createdBy}` : c.schedule ? ` (schedule “${c.schedule}”)` : ""}`,
    ],
  ];

  return (
    <>
      <AutoRefresh active={c.status === "closed" && r.pending > 0} />
      <PageHeader
        crumbs={[{ label: "Access reviews", href: "/reviews" }, { label: c.name }]}
        title={c.name}
        description={c.definition}
        meta={
          <>
            <StatusBadge status={c.status} />
            {c.complete ? <Badge tone="success">Complete: every change verified</Badge> : null}
            {c.status === "closed" && !c.complete && r.total ? (
              <Badge tone="warning">Remediation under way</Badge>
            ) : null}
            {c.schedule ? <Badge tone="violet">Scheduled: {c.schedule}</Badge> : null}
          </>
        }
        actions={
          <div className="flex flex-col items-end gap-2">
            <CampaignActions
              campaignId={c.id}
              status={c.status}
              waiting={c.progress.reviewersWaiting}
              outcome={{
                policy: c.noResponsePolicy,
                undecided,
                privilegedUndecided: c.progress.privilegedOpen,
                changes,
                rollbackDays: c.rollbackDays,
                kind: c.kind,
              }}
            />
            {c.status !== "draft" ? (
              <div className="flex gap-2">
                <ButtonLink href={`/reviews/${c.id}/report`} size="sm">
                  <FileCheck2 className="size-3.5" aria-hidden /> Evidence report
                </ButtonLink>
                <a href={`/api/reviews/${c.id}/report`} className={buttonClasses("secondary", "sm")} download>
                  <Download className="size-3.5" aria-hidden /> CSV
                </a>
              </div>
            ) : null}
          </div>
        }
      />
      {input.launched && c.population ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-600/20"
        >
          Launched: {c.population.items.toLocaleString("en-US")} items sent to{" "}
          {c.population.reviewers.toLocaleString("en-US")} reviewers.
        </p>
      ) : null}

      <dl className="mb-5 grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xs md:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>

      {c.status === "draft" ? (
        <Card>
          <EmptyState title="Not launched yet" icon={ListChecks}>
            Launching selects what the scope holds at that moment and sends each item to its reviewer. It is due{" "}
            {formatDate(c.dueAt, tz)}
            {c.dueAt <= ctx.now ? " — that date has passed: it cannot be launched as it is" : ""}.
          </EmptyState>
        </Card>
      ) : (
        <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_380px]">
          <div className="flex min-w-0 flex-col gap-5">
            <Card>
              <CardHeader
                title="Progress"
                description={
                  c.status === "active"
                    ? `${c.progress.reviewersWaiting} of ${c.progress.reviewers} reviewers still deciding. Still open ${AUTO_CLOSE_AFTER_DAYS} days after its due date, the campaign closes by itself.`
                    : `Decided by ${c.progress.reviewers} reviewers and the no-response policy.`
                }
              />
              <div className="px-4 pt-3">
                <CompletionBar decided={c.progress.decided} items={c.progress.items} label="Campaign decided" />
              </div>
              <DecisionSummary decisions={c.decisions} />
            </Card>
            <Card>
              <CardHeader
                title="Progress by reviewer"
                description={
                  overdue ? "Past due: open items are overdue and escalate to each reviewer's manager." : undefined
                }
              />
              {reviewers ? (
                <ReviewersTable
                  page={reviewers}
                  campaignId={c.id}
                  overdue={overdue}
                  closed={c.status === "closed"}
                  tz={tz}
                  now={ctx.now}
                />
              ) : null}
            </Card>
          </div>
          <div className="flex flex-col gap-5">
            <Card>
              <CardHeader
                title="Remediation"
                description="Each revoke and reduction, carried out at its system and verified by re-reading it."
                actions={
                  r.total ? (
                    <ButtonLink href={`/reviews/${c.id}/tasks`} size="sm">
                      See the tasks
                    </ButtonLink>
                  ) : null
                }
              />
              <div className="px-4 py-3" data-testid="remediation-summary">
                {c.status !== "closed" ? (
                  <p className="text-sm text-slate-600">
                    Starts when the campaign closes: {changes.toLocaleString("en-US")} revoke or reduce decision
                    {changes === 1 ? "" : "s"} so far.
                  </p>
                ) : r.total === 0 ? (
                  <p className="text-sm text-slate-600">Nothing to change: every item was kept.</p>
                ) : (
                  <>
                    <ProgressBar verified={r.verified} total={r.total} failed={r.failed} waived={r.waived} />
                    <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
                      {(
                        [
                          ["Verified", r.verified, "text-emerald-700"],
                          ["Pending", r.pending, "text-slate-900"],
                          ["Failed", r.failed, r.failed ? "text-red-700" : "text-slate-900"],
                          ["Waived", r.waived, "text-slate-900"],
                        ] as const
                      ).map(([label, n, tone]) => (
                        <div key={label}>
                          <dt className="text-xs text-slate-500">{label}</dt>
                          <dd
                            className={`font-semibold tabular-nums ${tone}`}
                            data-testid={`tasks-${label.toLowerCase()}`}
                          >
                            {n}
                          </dd>
                        </div>
                      ))}
                    </dl>
                    {r.manual ? (
                      <p className="mt-2 text-xs text-amber-800">
                        {r.manual} done by hand: their system has no connector that can do it; the system owner confirms
                        with evidence.
                      </p>
                    ) : null}
                  </>
                )}
              </div>
            </Card>
            {c.status === "closed" ? (
              <Card>
                <CardHeader
                  title="Restore"
                  description={`Privileged access revoked because nobody answered can be restored, with a justification, for ${c.rollbackDays} days after the close.`}
                />
                {restorable.length ? (
                  <RestorePanel
                    items={restorable.map((i) => ({
                      id: i.id,
                      subject: i.subject,
                      subjectId: i.subject_id,
                      what: i.what,
                      system: i.system,
                      reviewer: i.reviewer,
                      rollbackUntil: i.rollback_until.toISOString(),
                    }))}
                    more={c.progress.restorable - restorable.length}
                    meId={ctx.actor.id}
                    tz={tz}
                    now={ctx.now.toISOString()}
                  />
                ) : (
                  <p className="px-4 py-3 text-sm text-slate-600">Nothing to restore within its window.</p>
                )}
              </Card>
            ) : null}
            {c.population ? (
              <Card>
                <CardHeader
                  title="Population"
                  description={`Selected ${formatDateTime(c.population.selectedAt, tz)}`}
                />
                <dl className="grid grid-cols-2 gap-2 px-4 py-3 text-sm">
                  <div>
                    <dt className="text-xs text-slate-500">Matched the scope</dt>
                    <dd className="font-semibold tabular-nums">{c.population.matched.toLocaleString("en-US")}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Items</dt>
                    <dd className="font-semibold tabular-nums">{c.population.items.toLocaleString("en-US")}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Left to open leaver cases</dt>
                    <dd className="font-semibold tabular-nums">{c.population.skippedOpenCase}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Reviewers at launch</dt>
                    <dd className="font-semibold tabular-nums">{c.population.reviewers}</dd>
                  </div>
                </dl>
              </Card>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}
