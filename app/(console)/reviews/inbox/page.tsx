import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { queryOf } from "@/lib/input";
import { toEntry } from "@/lib/reviews/inbox-dto";
import { inboxSummary, reviewInbox } from "@/lib/reviews/queries";
import { myRestorableItems } from "@/lib/reviews/restorable";
import { inboxInput } from "@/lib/reviews/schemas";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { RestorePanel } from "../_components/restore-panel";
import { Inbox } from "./_components/inbox";

export const metadata: Metadata = { title: "My reviews" };

export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("reviews.decide");
  const params = queryOf(inboxInput, await searchParams);
  const [campaigns, restorable, tz] = await Promise.all([inboxSummary(ctx), myRestorableItems(ctx), viewerTimeZone()]);
  const campaign = params.campaign ?? campaigns.find((c) => c.open > 0)?.id ?? campaigns[0]?.id;
  const first = campaign ? await reviewInbox(ctx, { ...params, campaign, limit: 50 }) : null;
  return (
    <>
      <PageHeader
        title="My reviews"
        description="Decide each item: keep what is still needed, revoke what is not, reduce a credential to the scopes it uses. Press ? for the keys."
      />
      {restorable.length ? (
        // After a close, privileged access nobody answered for was revoked: its reviewer may still bring it back.
        <Card className="mb-4">
          <CardHeader
            title="Revoked for no answer — you can restore"
            description="Privileged access you did not review before the campaign closed was revoked. If it is still needed, restore it with a justification before its window closes."
          />
          <RestorePanel
            items={restorable.map((i) => ({
              id: i.id,
              campaign: i.campaign,
              subject: i.subject,
              subjectId: i.subject_id,
              what: i.what,
              system: i.system,
              reviewer: i.reviewer,
              rollbackUntil: i.rollback_until.toISOString(),
            }))}
            more={0}
            meId={ctx.actor.id}
            tz={tz}
            now={ctx.now.toISOString()}
          />
        </Card>
      ) : null}
      {campaigns.length === 0 || !campaign ? (
        <EmptyState title="Nothing to review">
          When a campaign assigns you access or credentials to review, they appear here.
        </EmptyState>
      ) : (
        <Inbox
          key={`${campaign}:${params.show}`}
          campaigns={campaigns.map((c) => ({
            ...c,
            dueAt: c.dueAt.toISOString(),
            remindedAt: c.remindedAt?.toISOString() ?? null,
          }))}
          campaignId={campaign}
          show={params.show}
          first={(first?.items ?? []).map(toEntry)}
          next={first?.next ?? null}
          tz={tz}
          now={ctx.now.toISOString()}
          meId={ctx.actor.id ?? 0}
        />
      )}
    </>
  );
}
