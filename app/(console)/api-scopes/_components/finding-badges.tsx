import { Badge, type Tone } from "@/components/ui/badge";
import { FINDING_LABELS, FINDING_RULES, type FindingId } from "@/lib/api-scopes/rules";

const TONE: Record<FindingId, Tone> = {
  orphaned: "danger",
  leaver_holder: "danger",
  bulk_pii: "danger",
  stale: "warning",
  over_scoped: "warning",
  rotation_overdue: "warning",
  no_expiry: "neutral",
};

export function FindingBadge({ id }: { id: FindingId }) {
  return (
    <span title={FINDING_RULES[id]}>
      <Badge tone={TONE[id]}>{FINDING_LABELS[id]}</Badge>
    </span>
  );
}

export function FindingBadges({ ids }: { ids: FindingId[] }) {
  if (!ids.length) return <span className="text-xs text-slate-400">none</span>;
  return (
    <div className="flex max-w-64 flex-wrap gap-1">
      {ids.map((id) => (
        <FindingBadge key={id} id={id} />
      ))}
    </div>
  );
}
