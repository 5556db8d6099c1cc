import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { humanize, StatusBadge } from "@/components/ui/status";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { listCampaigns } from "@/lib/reviews/queries";
import { pageContext } from "@/lib/session";
import { formatDate, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";

export const metadata: Metadata = { title: "Access reviews" };

export default async function ReviewsPage() {
  const ctx = await pageContext("reviews.read");
  const [campaigns, tz] = await Promise.all([listCampaigns(ctx), viewerTimeZone()]);
  return (
    <>
      <PageHeader
        title="Access reviews"
        description="Certification campaigns: managers decide their reports' grants, owners decide their tokens' scopes. Keep, reduce or revoke, with a justification."
      />
      <Card>
        {campaigns.length === 0 ? (
          <EmptyState title="No review campaigns for you">
            When a campaign assigns you items, it appears here.
          </EmptyState>
        ) : (
          <Table label="Review campaigns">
            <THead>
              <tr>
                <TH>Campaign</TH>
                <TH>Kind</TH>
                <TH>Status</TH>
                <TH>Due</TH>
                <TH>Completion</TH>
                <TH>No response</TH>
              </tr>
            </THead>
            <tbody>
              {campaigns.map((c) => {
                const pct = c.items ? Math.round((100 * c.decided) / c.items) : 0;
                return (
                  <TR key={c.id}>
                    <TD className="font-medium">{c.name}</TD>
                    <TD>{c.kind === "api_scope" ? "API scopes" : "Access"}</TD>
                    <TD>
                      <StatusBadge status={c.status} />
                    </TD>
                    <TD className="text-xs whitespace-nowrap">
                      {formatDate(c.dueAt, tz)}
                      {c.status === "active" && c.dueAt < ctx.now ? (
                        <Badge tone="danger" className="ml-1">
                          overdue
                        </Badge>
                      ) : (
                        <span className="ml-1 text-slate-500">({formatRelative(c.dueAt, ctx.now)})</span>
                      )}
                    </TD>
                    <TD>
                      <div className="w-40">
                        <div className="mb-0.5 flex justify-between text-xs text-slate-600">
                          <span>
                            {c.decided}/{c.items} decided
                          </span>
                          <span>{pct}%</span>
                        </div>
                        <div className="h-1.5 rounded bg-slate-200">
                          <div className="h-1.5 rounded bg-indigo-600" style={{ width: `${pct}%` }} />
                        </div>
                      </div>
                    </TD>
                    <TD className="text-xs">{humanize(c.noResponsePolicy)}</TD>
                  </TR>
                );
              })}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
