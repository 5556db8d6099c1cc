import { Badge, type Tone } from "./badge";

const TONE: Record<string, Tone> = {
  active: "success",
  leaver: "warning",
  disabled: "neutral",
  revoked: "neutral",
  expired: "neutral",
  deleted: "neutral",
  pending: "neutral",
  running: "info",
  done: "info",
  verified: "success",
  failed: "danger",
  waived: "violet",
  open: "info",
  in_progress: "info",
  closed: "success",
  reopened: "danger",
  approved: "success",
  denied: "danger",
  cancelled: "neutral",
  draft: "neutral",
};

export function humanize(value: string): string {
  const s = value.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One badge for every lifecycle status in the product, so a state reads the same on every page. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? "neutral"}>{humanize(status)}</Badge>;
}
