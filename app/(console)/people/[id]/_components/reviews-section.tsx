import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { personReviews } from "@/lib/reviews/queries";
import { formatDate } from "@/lib/time";
import { DecisionBadge } from "../../../reviews/_components/decision-badge";

/** Every review decision about this person's access or credentials, newest first (the last 50). */
export function ReviewsSection({
  reviews,
  linkCampaigns,
  tz,
}: {
  reviews: Awaited<ReturnType<typeof personReviews>>;
  linkCampaigns: boolean;
  tz: string;
}) {
  return (
    <Card>
      <CardHeader title="Review history" description="What access reviews decided about this identity's access." />
      {reviews.length === 0 ? (
        <EmptyState title="Never reviewed">No campaign has included this identity's access yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Review history">
          {reviews.map((r) => (
            <li key={r.id} className="flex items-start justify-between gap-3 px-4 py-2.5">
              <div className="min-w-0">
                <p className="text-sm font-medium text-slate-900">
                  {r.what ?? "—"}
                  {r.system ? <span className="font-normal text-slate-600"> on {r.system}</span> : null}
                </p>
                <p className="text-xs text-slate-500">
                  {linkCampaigns ? (
                    <Link href={`/reviews/${r.campaign_id}`} className="text-indigo-700 hover:underline">
                      {r.campaign}
                    </Link>
                  ) : (
                    r.campaign
                  )}{" "}
                  · reviewer {r.reviewer}
                  {r.decided_at ? ` · ${formatDate(r.decided_at, tz)}` : ""}
                </p>
              </div>
              <DecisionBadge decision={r.decision} source={r.source} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
