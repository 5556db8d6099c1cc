import { ListChecks } from "lucide-react";
import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { approvalsQueue } from "@/lib/break-glass/queries";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { Queue, type QueueEntry } from "../_components/queue";

export const metadata: Metadata = { title: "Approvals queue" };

export default async function ApprovalsQueuePage() {
  const ctx = await pageContext("break_glass.approve");
  const [rows, tz] = await Promise.all([approvalsQueue(ctx), viewerTimeZone()]);
  const entries: QueueEntry[] = rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    requestExpiresAt: r.requestExpiresAt.toISOString(),
  }));
  const mine = entries.filter((e) => !e.blocked).length;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Break-glass", href: "/break-glass" }, { label: "Approvals queue" }]}
        title="Approvals queue"
        description="Requests waiting for approvers, the soonest to lapse first. Approve with the identity-proofing checklist (recovery) or a shorter time (emergency access); any deny ends a request. Press ? for the keys."
        meta={
          entries.length ? (
            <span className="text-xs text-slate-600" data-testid="queue-summary">
              {entries.length} waiting · {mine} you can decide
            </span>
          ) : null
        }
      />
      {entries.length === 0 ? (
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
            When someone asks for break-glass you are eligible to approve, it appears here and you get a notice (the
            bell at the top).
          </EmptyState>
        </Card>
      ) : (
        <Queue entries={entries} serverNow={ctx.now.toISOString()} tz={tz} />
      )}
    </>
  );
}
