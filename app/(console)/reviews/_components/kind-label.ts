import type { CampaignKind } from "@/lib/reviews/rules";

export const KIND_LABELS: Record<CampaignKind, string> = { access: "Access", api_scope: "API scopes" };
