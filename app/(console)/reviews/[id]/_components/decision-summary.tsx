import type { CampaignDetail } from "@/lib/reviews/queries";
import { DECISION_LABELS, type Decision } from "@/lib/reviews/rules";

const ORDER: (Decision | null)[] = ["keep", "revoke", "reduce", "dont_know", null];

/** Decisions by kind and by whom (reviewer, bulk, policy), and how often the recommendation was followed. */
export function DecisionSummary({ decisions }: { decisions: CampaignDetail["decisions"] }) {
  const total = decisions.reduce((a, d) => a + d.n, 0);
  const rows = ORDER.map((decision) => {
    const of = decisions.filter((d) => d.decision === decision);
    return {
      decision,
      n: of.reduce((a, d) => a + d.n, 0),
      policy: of.filter((d) => d.source === "policy").reduce((a, d) => a + d.n, 0),
      bulk: of.filter((d) => d.source === "bulk").reduce((a, d) => a + d.n, 0),
    };
  }).filter((r) => r.n > 0);
  // The reviewers' own decisions: what the no-response policy did follows no recommendation.
  const decided = decisions.filter(
    (d) => d.decision && d.decision !== "dont_know" && d.recommendation !== "look_closely" && d.source !== "policy",
  );
  const followed = decided
    .filter((d) => d.decision === d.recommendation || (d.recommendation === "reduce" && d.decision === "revoke"))
    .reduce((a, d) => a + d.n, 0);
  const judged = decided.reduce((a, d) => a + d.n, 0);
  return (
    <div className="px-4 py-3">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-5" aria-label="Decisions">
        {rows.map((r) => (
          <div key={r.decision ?? "none"}>
            <dt className="text-xs text-slate-500">{r.decision ? DECISION_LABELS[r.decision] : "Undecided"}</dt>
            <dd className="text-lg font-semibold text-slate-900 tabular-nums">
              {r.n.toLocaleString("en-US")}
              <span className="ml-1 text-xs font-normal text-slate-500">
                {total ? `${Math.round((100 * r.n) / total)}%` : ""}
              </span>
            </dd>
            {r.policy || r.bulk ? (
              <dd className="text-[11px] text-slate-500">
                {[r.policy ? `${r.policy} by policy` : null, r.bulk ? `${r.bulk} in bulk` : null]
                  .filter(Boolean)
                  .join(" · ")}
              </dd>
            ) : null}
          </div>
        ))}
      </dl>
      {judged ? (
        <p className="mt-2 text-xs text-slate-600">
          Reviewers followed the recommendation in {followed.toLocaleString("en-US")} of{" "}
          {judged.toLocaleString("en-US")} decisions ({Math.round((100 * followed) / judged)}%); a keep against a revoke
          recommendation carries its justification.
        </p>
      ) : null}
    </div>
  );
}
