import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/authz";
import { campaignTasks, getCampaign } from "@/lib/reviews/queries";
import { campaignTasksInput } from "@/lib/reviews/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { AutoRefresh } from "../../../_remediation/auto-refresh";
import { TaskRow } from "../../../_remediation/task-row";

export const metadata: Metadata = { title: "Campaign remediation" };

/** A closed campaign's changes at the systems: failed first, then waiting, then done; with their retry and confirm. */
export default async function CampaignTasksPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const parsed = campaignTasksInput.safeParse({ ...(await searchParams), id: (await params).id });
  if (!parsed.success) notFound();
  const input = parsed.data;
  const ctx = await pageContext("reviews.manage");
  const c = await orNotFound(getCampaign(ctx, input.id));
  const [page, tz] = await Promise.all([
    campaignTasks(ctx, c.id, { ...input, unfinished: input.show === "open" }),
    viewerTimeZone(),
  ]);
  const r = c.remediation;
  const busy = page.items.some((t) => t.state === "running" || t.state === "pending" || t.state === "done");
  return (
    <>
      <AutoRefresh active={busy} />
      <PageHeader
        crumbs={[
          { label: "Access reviews", href: "/reviews" },
          { label: c.name, href: `/reviews/${c.id}` },
          { label: "Remediation" },
        ]}
        title="Remediation"
        description={`${c.name}: ${r.verified} of ${r.total} changes verified${r.failed ? `, ${r.failed} failed` : ""}${r.pending ? `, ${r.pending} under way` : ""}.`}
      />
      <Card>
        <CardHeader
          title="Tasks"
          description="One per revoke, reduction or restore; each is verified by re-reading its system."
          actions={
            <nav className="flex gap-1 text-sm" aria-label="Show">
              {(["open", "all"] as const).map((s) => (
                <Link
                  key={s}
                  href={`/reviews/${c.id}/tasks?show=${s}`}
                  aria-current={input.show === s ? "page" : undefined}
                  className={cn(
                    "rounded-md px-2.5 py-1",
                    input.show === s ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100",
                  )}
                >
                  {s === "open" ? "Not finished" : "All"}
                </Link>
              ))}
            </nav>
          }
        />
        {page.items.length === 0 ? (
          <EmptyState title={input.show === "open" ? "Every change is finished" : "No changes"}>
            {input.show === "open" && r.total
              ? "Every task of this campaign is verified or waived."
              : "This campaign asked for no change at any system."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Remediation tasks">
            {page.items.map((t) => (
              <TaskRow
                key={t.id}
                t={t}
                tz={tz}
                now={ctx.now}
                actions={{
                  closed: false,
                  can: {
                    manage: can(ctx.actor, "remediation.manage"),
                    waive: can(ctx.actor, "remediation.waive"),
                    handover: false,
                  },
                  meId: ctx.actor.id,
                }}
              />
            ))}
          </ul>
        )}
        {page.next || page.prev ? (
          <KeysetPager
            basePath={`/reviews/${c.id}/tasks`}
            params={{ show: input.show }}
            next={page.next}
            prev={page.prev}
            shown={page.items.length}
            noun="tasks"
          />
        ) : null}
      </Card>
    </>
  );
}
