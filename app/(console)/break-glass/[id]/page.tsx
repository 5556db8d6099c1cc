import { CircleAlert, ShieldX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/authz";
import { getBreakGlassRequest } from "@/lib/break-glass/detail";
import { disputeRefusal, passMinStrength, REASON_LABELS } from "@/lib/break-glass/rules";
import { STRENGTH_LABELS, type Strength } from "@/lib/factors/strength";
import { idParam } from "@/lib/input";
import { listTasks } from "@/lib/remediation/queries";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AutoRefresh } from "../../_remediation/auto-refresh";
import { minutesLabel, RequestStatus, WhatAsked } from "../_components/bits";
import { Countdown } from "../_components/countdown";
import { ApprovalsCard, ApproversCard, TimelineCard } from "../_components/detail-cards";
import { DowngradesCard, PassesCard, TasksCard } from "../_components/grant-cards";
import { PostReviewForm } from "../_components/post-review-form";
import { RequestActions } from "../_components/request-actions";
import { RequestSteps } from "../_components/steps";

export const metadata: Metadata = { title: "Break-glass request" };

async function load(raw: string) {
  const parsed = idParam.safeParse(raw);
  if (!parsed.success) notFound();
  const ctx = await pageContext("break_glass.request");
  return { ctx, d: await orNotFound(getBreakGlassRequest(ctx, parsed.data)) };
}

export default async function BreakGlassRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, d } = await load((await params).id);
  const r = d.request;
  const reader = can(ctx.actor, "break_glass.read");
  const approver = can(ctx.actor, "break_glass.approve");
  const [tasks, tz] = await Promise.all([
    // The engine's full task rows for whoever reads break-glass (approvers, analysts, admins: listTasks scopes them
    // by the request, lib/authz breakGlassScope); the execute/confirm buttons still follow remediation permissions.
    // The subject and the requester see the summary the request carries.
    reader && r.kind === "emergency_access" ? listTasks(ctx, { type: "break_glass", id: r.id }) : Promise.resolve(null),
    viewerTimeZone(),
  ]);
  const now = ctx.now;
  const approvals = d.approvals.filter((a) => a.decision === "approve").length;
  const emergency = r.kind === "emergency_access";
  const what = emergency ? `${d.entitlement} on ${d.system} for ${d.subject}` : `account recovery for ${d.subject}`;
  const title = emergency ? `Emergency access: ${d.entitlement}` : `Account recovery for ${d.subject}`;
  const busy = (tasks ?? d.tasks).some((t) => t.state === "pending" || t.state === "running" || t.state === "done");
  const canEnd = r.status === "active" && (d.you.isSubject || approver);
  // The subject disputes what was done for them: anything that was granted (they were notified), or a request
  // someone else made that is still open. Their own pending request they simply cancel; one denied, cancelled or
  // lapsed unapproved changed nothing (disputeRefusal).
  const canDispute = d.you.isSubject && disputeRefusal(r) === null && (!d.you.isRequester || Boolean(r.activatedAt));
  const used = Boolean(r.activatedAt) && !r.drill;
  const mayReview = d.you.isSubject || d.you.isRequester || approver;
  const minStrength = passMinStrength(r.subjectStrengthAtRequest) as Strength;

  return (
    <>
      <AutoRefresh active={busy && r.status === "active"} everyMs={4000} />
      <PageHeader
        crumbs={[{ label: "Break-glass", href: "/break-glass" }, { label: `Request #${r.id}` }]}
        title={title}
        description={
          <>
            {emergency
              ? `${d.entitlement} on ${d.system} for ${d.subject}`
              : `A one-time enrolment pass for ${d.subject}`}
            {" · "}asked by {d.requester === d.subject ? "themselves" : d.requester} {formatDateTime(r.createdAt, tz)}
          </>
        }
        meta={
          <>
            <RequestStatus status={r.status} activated={Boolean(r.activatedAt)} drill={r.drill} />
            {r.drill ? <Badge tone="violet">Recovery drill: grants nothing</Badge> : null}
            {r.reasonCode !== "other" ? <Badge>{REASON_LABELS[r.reasonCode]}</Badge> : null}
            {r.ticketRef ? <Badge tone="info">{r.ticketRef}</Badge> : null}
            {r.status === "pending" ? (
              <Countdown
                until={r.requestExpiresAt.toISOString()}
                serverNow={now.toISOString()}
                label="until it lapses"
                over="lapsing now"
              />
            ) : null}
            {r.status === "active" && r.expiresAt ? (
              <Countdown
                until={r.expiresAt.toISOString()}
                serverNow={now.toISOString()}
                label="until it ends by itself"
                over="ending now"
              />
            ) : null}
          </>
        }
      />

      {r.status === "disputed" ? (
        <div
          role="alert"
          className="mb-4 flex gap-2 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
        >
          <ShieldX className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            {d.subject} said this wasn&apos;t them ({formatDateTime(r.disputedAt, tz)}). What it granted was ended at
            once and every approver was alerted: find out who asked for it and how they were proofed.
          </p>
        </div>
      ) : null}
      {d.you.whyNot && r.status === "pending" && approver ? (
        <p className="mb-4 flex items-center gap-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
          <CircleAlert className="size-4 text-slate-500" aria-hidden /> You cannot decide this request: you{" "}
          {d.you.whyNot}.
        </p>
      ) : null}

      <Card className="mb-5">
        <CardBody className="py-4">
          <RequestSteps request={r} approvals={approvals} required={r.requiredApprovals} now={now} tz={tz} />
        </CardBody>
      </Card>

      <div className="mb-5">
        <RequestActions
          requestId={r.id}
          kind={r.kind}
          what={what}
          subject={d.subject}
          askedMinutes={r.durationMinutes}
          canDecide={d.you.canDecide}
          canCancel={d.you.isRequester && r.status === "pending"}
          canEnd={canEnd}
          canDispute={canDispute}
          tz={tz}
          endEffect={
            emergency
              ? `The grant is removed at ${d.system} and the removal verified.`
              : "The enrolment pass stops working if it was not used yet."
          }
        />
      </div>

      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_380px]">
        <div className="flex min-w-0 flex-col gap-5">
          <Card>
            <CardHeader title="What is asked, and why" />
            <CardBody>
              <p className="text-sm">
                <WhatAsked
                  kind={r.kind}
                  entitlement={d.entitlement}
                  system={d.system}
                  recoveryFactor={r.recoveryFactor}
                  strengthBefore={r.subjectStrengthAtRequest}
                  drill={r.drill}
                />
              </p>
              <p className="mt-2 text-sm whitespace-pre-line text-slate-800">{r.reason}</p>
              <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-4">
                <div>
                  <dt className="text-xs text-slate-500">Subject</dt>
                  <dd className="font-medium text-slate-900">{d.subject}</dd>
                </div>
                <div>
                  <dt className="text-xs text-slate-500">Requested by</dt>
                  <dd className="font-medium text-slate-900">
                    {d.requester}
                    {d.requester !== d.subject ? (
                      <span className="block text-xs font-normal text-slate-500">on their behalf</span>
                    ) : null}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-slate-500">{emergency ? "Duration" : "Pass lifetime"}</dt>
                  <dd className="font-medium text-slate-900">
                    {minutesLabel(r.durationMinutes)}
                    {r.activatedAt && r.expiresAt && emergency ? (
                      <span className="block text-xs font-normal text-slate-500">
                        granted {minutesLabel(Math.round((r.expiresAt.getTime() - r.activatedAt.getTime()) / 60_000))}
                      </span>
                    ) : null}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-slate-500">
                    {!emergency ? "Weakest factor the pass accepts" : r.endedAt ? "Ended" : "Ends by itself"}
                  </dt>
                  <dd className="font-medium text-slate-900">
                    {emergency
                      ? (r.endedAt ?? r.expiresAt)
                        ? formatDateTime(r.endedAt ?? r.expiresAt, tz)
                        : `${minutesLabel(r.durationMinutes)} after approval`
                      : `${STRENGTH_LABELS[minStrength]} (${minStrength})`}
                  </dd>
                </div>
              </dl>
              {r.endReason ? (
                <p className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-700">
                  Ended {formatDateTime(r.endedAt, tz)}: {r.endReason}
                </p>
              ) : null}
            </CardBody>
          </Card>

          <ApprovalsCard approvals={d.approvals} required={r.requiredApprovals} kind={r.kind} tz={tz} />

          {emergency ? (
            <TasksCard
              tasks={tasks}
              summary={d.tasks}
              system={d.system}
              tz={tz}
              now={now}
              meId={ctx.actor.id}
              actor={ctx.actor}
            />
          ) : (
            <>
              <DowngradesCard downgrades={d.downgrades} requestId={r.id} subject={d.subject} tz={tz} />
              <PassesCard passes={d.passes} subject={d.subject} tz={tz} now={now} />
            </>
          )}

          {used ? (
            <Card
              className={r.postReviewDueAt && !r.postReviewAt && r.postReviewDueAt < now ? "border-red-300" : undefined}
            >
              <CardHeader
                title="Post-incident review"
                description={
                  r.postReviewAt
                    ? `Recorded ${formatDateTime(r.postReviewAt, tz)}`
                    : r.postReviewDueAt
                      ? `${r.postReviewDueAt < now ? "Overdue since" : "Due by"} ${formatDateTime(r.postReviewDueAt, tz)}: every use is reviewed after the incident.`
                      : undefined
                }
              />
              <CardBody>
                {r.postReview ? (
                  <p className="text-sm whitespace-pre-line text-slate-800" data-testid="post-review">
                    {r.postReview}
                  </p>
                ) : r.status === "active" ? (
                  <p className="text-sm text-slate-600">Record it once the access has ended.</p>
                ) : mayReview ? (
                  <PostReviewForm requestId={r.id} />
                ) : (
                  <p className="text-sm text-slate-600">The subject, the requester or an approver records it.</p>
                )}
              </CardBody>
            </Card>
          ) : null}
        </div>
        <div className="flex min-w-0 flex-col gap-5">
          <ApproversCard
            candidates={d.candidates}
            decided={d.approvals.map((a) => a.approverId)}
            required={r.requiredApprovals}
            groups={d.policy.groups.map((g) => g.label)}
            meId={ctx.actor.id}
          />
          {reader ? (
            <TimelineCard
              events={d.timeline}
              tz={tz}
              auditHref={can(ctx.actor, "audit.read") ? `/audit?target=break_glass_request:${r.id}` : null}
            />
          ) : (
            <p className="text-xs text-slate-500">
              Every step is in the audit log; approvers and analysts see its timeline here.{" "}
              <Link href="/break-glass" className="text-indigo-700 hover:underline">
                Back to your requests
              </Link>
            </p>
          )}
        </div>
      </div>
    </>
  );
}
