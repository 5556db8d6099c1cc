import type { InboxItem } from "./queries";

/**
 * What the inbox screen gets per item: plain JSON (ISO times), the same whether it arrives with the page or from the
 * next-page route, so the client never parses two shapes.
 */
export type InboxEntry = ReturnType<typeof toEntry>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const str = (v: unknown) => (typeof v === "string" ? v : null);

export function toEntry(i: InboxItem) {
  const s = i.snapshot;
  const peers = (s.peers ?? null) as { holding?: number; team?: number } | null;
  const earlier = (s.earlierReview ?? null) as { campaign?: string; decision?: string; decidedAt?: string } | null;
  return {
    id: i.id,
    campaignId: i.campaignId,
    campaign: i.campaign,
    kind: i.kind,
    subject: i.subject,
    what: str(s.entitlement) ?? str(s.name) ?? "",
    system: str(s.system) ?? "",
    account: str(s.account),
    credentialKind: str(s.kind),
    scopes: Array.isArray(s.scopes) ? (s.scopes as string[]) : [],
    usedScopes: Array.isArray(s.usedScopes) ? (s.usedScopes as string[]) : [],
    findings: Array.isArray(s.findings) ? (s.findings as string[]) : [],
    grantedAt: str(s.grantedAt),
    source: str(s.source),
    lastUsedAt: str(s.lastUsedAt),
    peers: peers?.team ? { holding: peers.holding ?? 0, team: peers.team } : null,
    earlierReview: earlier?.decision ? earlier : null,
    blastRadius: typeof s.blastRadius === "number" ? s.blastRadius : null,
    privileged: i.privileged,
    stage: i.stage,
    relation: i.relation,
    recommendation: i.recommendation,
    recommendationReason: i.recommendationReason,
    decision: i.decision,
    decisionSource: i.decisionSource,
    justification: i.justification,
    keptScopes: i.keptScopes,
    decidedAt: iso(i.decidedAt),
    rollbackUntil: iso(i.rollbackUntil),
    restoredAt: iso(i.restoredAt),
  };
}
