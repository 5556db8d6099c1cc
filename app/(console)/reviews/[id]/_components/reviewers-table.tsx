import { Badge } from "@/components/ui/badge";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { campaignReviewers } from "@/lib/reviews/queries";
import { RELATION_LABELS } from "@/lib/reviews/rules";
import { formatDateTime, formatRelative } from "@/lib/time";
import { CompletionBar } from "../../_components/completion-bar";

type Page = Awaited<ReturnType<typeof campaignReviewers>>;

/** Progress by reviewer (aggregated in SQL), most open first; overdue once the campaign is past due. */
export function ReviewersTable({
  page,
  campaignId,
  overdue,
  closed,
  tz,
  now,
}: {
  page: Page;
  campaignId: number;
  overdue: boolean;
  closed: boolean;
  tz: string;
  now: Date;
}) {
  return (
    <>
      <Table label="Progress by reviewer">
        <THead>
          <tr>
            <TH>Reviewer</TH>
            <TH>Relation</TH>
            <TH className="text-right">Assigned</TH>
            <TH>Decided</TH>
            <TH className="text-right">{closed ? "Not answered" : overdue ? "Overdue" : "Open"}</TH>
            <TH>Last reminded</TH>
          </tr>
        </THead>
        <tbody>
          {page.items.map((r) => (
            <TR key={r.id}>
              <TD className="font-medium whitespace-nowrap">{r.name}</TD>
              <TD className="text-xs text-slate-600">{r.relations.map((x) => RELATION_LABELS[x]).join(", ")}</TD>
              <TD className="text-right tabular-nums">{r.items}</TD>
              <TD>
                <CompletionBar decided={r.decided} items={r.items} className="w-36" label={`Decided by ${r.name}`} />
              </TD>
              <TD className="text-right whitespace-nowrap tabular-nums">
                {closed ? (
                  r.byPolicy ? (
                    <span className="text-amber-800" title="Decided by the no-response policy">
                      {r.byPolicy} to the policy
                    </span>
                  ) : (
                    <span className="text-emerald-700">none</span>
                  )
                ) : r.open === 0 ? (
                  <span className="text-emerald-700">done</span>
                ) : overdue ? (
                  <Badge tone="danger">{r.open} overdue</Badge>
                ) : (
                  r.open
                )}
                {r.privilegedOpen ? (
                  <span className="block text-[11px] text-amber-800">{r.privilegedOpen} privileged</span>
                ) : null}
              </TD>
              <TD className="text-xs whitespace-nowrap text-slate-600">
                {r.remindedAt ? (
                  <span title={formatDateTime(r.remindedAt, tz)}>
                    {formatRelative(r.remindedAt, now)}
                    {r.reminders > 1 ? ` (${r.reminders}×)` : ""}
                  </span>
                ) : (
                  <span className="text-slate-400">not yet</span>
                )}
              </TD>
            </TR>
          ))}
        </tbody>
      </Table>
      {page.next || page.prev ? (
        <KeysetPager
          basePath={`/reviews/${campaignId}`}
          params={{}}
          next={page.next}
          prev={page.prev}
          shown={page.items.length}
          noun="reviewers"
        />
      ) : null}
    </>
  );
}
