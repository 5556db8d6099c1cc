import { Badge, type Tone } from "@/components/ui/badge";
import { DECISION_LABELS, DECISION_SOURCE_LABELS, type Decision, type DecisionSource } from "@/lib/reviews/rules";

const TONE: Record<Decision, Tone> = { keep: "success", revoke: "danger", reduce: "warning", dont_know: "neutral" };

/** A decision as a badge, saying when it was not the reviewer's own (bulk, or the no-response policy). */
export function DecisionBadge({ decision, source }: { decision: Decision | null; source: DecisionSource | null }) {
  if (!decision) return <Badge tone="info">Awaiting decision</Badge>;
  return (
    <Badge tone={TONE[decision]}>
      {DECISION_LABELS[decision]}
      {source && source !== "reviewer" ? <span className="font-normal">{DECISION_SOURCE_LABELS[source]}</span> : null}
    </Badge>
  );
}
