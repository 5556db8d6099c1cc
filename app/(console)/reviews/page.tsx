import { CalendarClock, Inbox, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { queryOf } from "@/lib/input";
import { inboxSummary, listCampaigns, runsCampaigns } from "@/lib/reviews/queries";
import { POLICY_LABELS } from "@/lib/reviews/rules";
import { campaignListInput } from "@/lib/reviews/schemas";
import { pageContext } from "@/lib/session";
import { formatDate, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { CompletionBar } from "./_components/completion-bar";
import { KIND_LABELS } from "./_components/kind-label";

export const metadata: Metadata = { title: "Access reviews" };

const TABS = [
  { status: undefined, label: "All" },
  { status: "active", label: "Active" },
  { status: "draft", label: "Drafts" },
  { status: "closed", label: "Closed" },
] as const;

/** The campaigns, for the people who run them; reviewers who do not are sent to their own inbox. */
export default async function ReviewsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("reviews.read");
  if (!runsCampaigns(ctx)) redirect("/reviews/inbox");
  const raw = await searchParams;
  const input = queryOf(campaignListInput, raw);
  const [page, mine, tz] = await Promise.all([listCampaigns(ctx, input), inboxSummary(ctx), viewerTimeZone()]);
  const myOpen = mine.reduce((a, c) => a + c.open, 0);
  return (
    <>
      <PageHeader
        title="Access reviews"
        description="Certification campaigns: managers decide their reports' grants, owners decide their credentials' scopes. What nobody decides follows the campaign's no-response policy; every revoke is carried out and verified at its system."
        actions={
          <>
            {mine.length ? (
              <ButtonLink href="/reviews/inbox" variant="ghost">
                <Inbox className="size-4" aria-hidden /> My reviews
                {myOpen ? <Badge tone="info">{myOpen} open</Badge> : null}
              </ButtonLink>
            ) : null}
            <ButtonLink href="/reviews/schedules">
              <CalendarClock className="size-4" aria-hidden /> Schedules
            </ButtonLink>
            <ButtonLink href="/reviews/new" variant="primary">
              <Plus className="size-4" aria-hidden /> New campaign
            </ButtonLink>
          </>
        }
      />
      <Card>
        <nav aria-label="Campaign status" className="flex gap-1 border-b border-slate-200 px-3 py-2 text-sm">
          {TABS.map((t) => (
            <Link
              key={t.label}
              href={t.status ? `/reviews?status=${t.status}` : "/reviews"}
              aria-current={input.status === t.status ? "page" : undefined}
              className={cn(
                "rounded-md px-2.5 py-1",
                input.status === t.status ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100",
              )}
            >
              {t.label}
            </Link>
          ))}
        </nav>
        {page.items.length === 0 ? (
          <EmptyState
            title={input.status ? `No ${input.status} campaigns` : "No review campaigns yet"}
            action={
              <ButtonLink href="/reviews/new" variant="primary">
                <Plus className="size-4" aria-hidden /> New campaign
              </ButtonLink>
            }
          >
            A campaign asks managers and owners to confirm the access in its scope. Start one, or schedule them to run
            by themselves.
          </EmptyState>
        ) : (
          <Table label="Review campaigns">
            <THead>
              <tr>
                <TH>Campaign</TH>
                <TH>Status</TH>
                <TH>Due</TH>
                <TH>Completion</TH>
                <TH>Reviewers</TH>
                <TH>Remediation</TH>
                <TH>No response</TH>
              </tr>
            </THead>
            <tbody>
              {page.items.map((c) => {
                const overdue = c.status === "active" && c.dueAt < ctx.now;
                return (
                  <TR key={c.id}>
                    <TD>
                      <Link href={`/reviews/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                        {c.name}
                      </Link>
                      <p className="text-xs text-slate-500">
                        {KIND_LABELS[c.kind]}
                        {c.scheduled ? " · scheduled" : ""}
                        {c.status !== "draft" ? ` · started ${formatDate(c.startsAt, tz)}` : ""}
                      </p>
                    </TD>
                    <TD>
                      <StatusBadge status={c.status} />
                    </TD>
                    <TD className="text-xs whitespace-nowrap">
                      {formatDate(c.status === "closed" ? (c.closedAt ?? c.dueAt) : c.dueAt, tz)}
                      {overdue ? (
                        <Badge tone="danger" className="ml-1">
                          overdue
                        </Badge>
                      ) : c.status === "closed" ? (
                        <span className="ml-1 text-slate-500">(closed)</span>
                      ) : (
                        <span className="ml-1 text-slate-500">({formatRelative(c.dueAt, ctx.now)})</span>
                      )}
                    </TD>
                    <TD>
                      {c.status === "draft" ? (
                        <span className="text-xs text-slate-500">Not launched</span>
                      ) : (
                        <CompletionBar decided={c.decided} items={c.items} className="w-40" />
                      )}
                    </TD>
                    <TD className="text-xs whitespace-nowrap">
                      {c.status !== "active" ? (
                        <span className="text-slate-400">—</span>
                      ) : (
                        <>
                          <span className="tabular-nums">
                            {c.reviewersWaiting} of {c.reviewers} still deciding
                          </span>
                          {c.overdueReviewers ? (
                            <Badge tone="danger" className="ml-1">
                              {c.overdueReviewers} overdue
                            </Badge>
                          ) : null}
                        </>
                      )}
                    </TD>
                    <TD className="text-xs whitespace-nowrap">
                      {c.status === "draft" ? (
                        <span className="text-slate-400">—</span>
                      ) : c.status !== "closed" ? (
                        <span className="text-slate-400">after close</span>
                      ) : c.remediation.total === 0 ? (
                        <span className="text-slate-500">nothing to change</span>
                      ) : (
                        <span className="flex flex-wrap gap-1">
                          <Badge tone={c.remediation.pending + c.remediation.failed === 0 ? "success" : "neutral"}>
                            {c.remediation.verified}/{c.remediation.total} verified
                          </Badge>
                          {c.remediation.pending ? <Badge tone="info">{c.remediation.pending} pending</Badge> : null}
                          {c.remediation.failed ? <Badge tone="danger">{c.remediation.failed} failed</Badge> : null}
                          {c.remediation.waived ? <Badge tone="violet">{c.remediation.waived} waived</Badge> : null}
                        </span>
                      )}
                    </TD>
                    <TD className="text-xs">{POLICY_LABELS[c.noResponsePolicy].label}</TD>
                  </TR>
                );
              })}
            </tbody>
          </Table>
        )}
        {page.next || page.prev ? (
          <KeysetPager
            basePath="/reviews"
            params={{ status: input.status }}
            next={page.next}
            prev={page.prev}
            shown={page.items.length}
            noun="campaigns"
          />
        ) : null}
      </Card>
    </>
  );
}
