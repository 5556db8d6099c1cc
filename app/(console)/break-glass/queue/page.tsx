import { ListChecks } from "lucide-react";
import type { Metadata } from "next";
import { Suspense } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { approvalsQueue } from "@/lib/break-glass/queries";
import type { Ctx } from "@/lib/context";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { Queue, type QueueEntry } from "../_components/queue";
import { QueueSkeleton } from "../_components/skeletons";

export const metadata: Metadata = { title: "Approvals queue" };

export default async function ApprovalsQueuePage() {
  const ctx = await pageContext("break_glass.approve");
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Break-glass", href: "/break-glass" }, { label: "Approvals queue" }]}
        title="Approvals queue"
        description="Requests waiting for approvers, the soonest to lapse first. Approve with the identity-proofing checklist (recovery) or a shorter time (emergency access); any deny ends a request. Press ? for the keys."
      />
      <Suspense fallback={<QueueSkeleton />}>
        <QueueBody ctx={ctx} />
      </Suspense>
    </>
  );
}

async function QueueBody({ ctx }: { ctx: Ctx }) {
  const [rows, tz] = await Promise.all([approvalsQueue(ctx), viewerTimeZone()]);
  const entries: QueueEntry[] = rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    requestExpiresAt: r.requestExpiresAt.toISOString(),
  }));
  if (entries.length === 0)
    return (
      <Card>
        <EmptyState
          icon={ListChecks}
          title="Nothing is waiting for an approver"
          action={
            <ButtonLink href="/break-glass" size="sm">
              All requests
            </ButtonLink>
          }
        >
          When someone asks for break-glass you are eligible to approve, it appears here and you get a notice (the bell
          at the top).
        </EmptyState>
      </Card>
    );
  return (
    <>
      <p className="-mt-3 mb-3 text-xs text-slate-600" data-testid="queue-summary">
        {entries.length} waiting · {entries.filter((e) => !e.blocked).length} you can decide
      </p>
      <Queue entries={entries} serverNow={ctx.now.toISOString()} tz={tz} />
    </>
  );
}
