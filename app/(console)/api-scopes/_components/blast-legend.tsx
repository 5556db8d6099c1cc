import { Info } from "lucide-react";
import {
  DATA_CLASS_WEIGHT,
  FINDING_IDS,
  FINDING_LABELS,
  FINDING_RULES,
  type Policy,
  UNCLASSIFIED_WEIGHT,
  VOLUME_ABOVE_TIERS,
  VOLUME_BULK_UNKNOWN,
  VOLUME_SINGLE_RECORD,
  VOLUME_TIERS,
} from "@/lib/api-scopes/rules";

/** How the score and the findings are worked out, from the same constants the rules use. */
export function BlastLegend({ policy }: { policy: Policy }) {
  const classes = Object.entries(DATA_CLASS_WEIGHT).sort((a, b) => b[1] - a[1]);
  return (
    <details className="group border-b border-slate-200 px-4 py-2 text-xs text-slate-600">
      <summary className="flex cursor-pointer items-center gap-1.5 font-medium text-slate-700 select-none">
        <Info className="size-3.5" aria-hidden /> How blast radius and findings are worked out
      </summary>
      <div className="mt-2 grid gap-4 pb-2 md:grid-cols-2">
        <div>
          <p className="mb-1">
            <strong>Blast radius</strong> = the sum, over every endpoint the credential&apos;s scopes reach on its
            issuer, of
            <em> data-class weight × volume</em>.
          </p>
          <p>
            Data class (the most sensitive one of the endpoint): {classes.map(([c, w]) => `${c} ${w}`).join(" · ")} ·
            unclassified {UNCLASSIFIED_WEIGHT}.
          </p>
          <p className="mt-1">
            Volume by records per call: single record ×{VOLUME_SINGLE_RECORD}; bulk{" "}
            {VOLUME_TIERS.map((t) => `≤${t.upTo.toLocaleString("en-US")} ×${t.factor}`).join(", ")}, more ×
            {VOLUME_ABOVE_TIERS}; bulk with no stated maximum ×{VOLUME_BULK_UNKNOWN}.
          </p>
          <p className="mt-1">
            Bands: low &lt; 10 ≤ moderate &lt; 30 ≤ high &lt; 80 ≤ severe. One bulk PII endpoint of 10,000 records per
            call scores 32.
          </p>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5">
          {FINDING_IDS.map((id) => (
            <div key={id} className="contents">
              <dt className="font-medium text-slate-700">{FINDING_LABELS[id]}</dt>
              <dd>
                <code className="text-[10px] text-slate-500">{id}</code> {FINDING_RULES[id]}
                {id === "stale" || id === "over_scoped"
                  ? ` Now ${policy.staleAfterDays} days.`
                  : id === "rotation_overdue"
                    ? ` Now ${policy.rotationMaxDays} days.`
                    : ""}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}
