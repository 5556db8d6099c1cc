import type { remediationAction, remediationOrigin } from "@/db/schema/enums";

/** The engine's vocabulary, from the database enums (never copied by hand). */
export type RemediationAction = (typeof remediationAction.enumValues)[number];
export type RemediationOrigin = (typeof remediationOrigin.enumValues)[number];

export const ACTION_LABELS: Record<RemediationAction, string> = {
  disable_account: "Disable account",
  delete_account: "Delete account",
  end_sessions: "End sessions",
  remove_device_trust: "Remove device trust",
  add_grant: "Add grant",
  remove_grant: "Remove grant",
  revoke_credential: "Revoke credential",
  reduce_scopes: "Reduce scopes",
  remove_recovery_factor: "Remove recovery factor",
  transfer_ownership: "Hand over ownership",
};

// ─── Retries ───────────────────────────────────────────────────────────────────────────────────────
export const MAX_ATTEMPTS = 5;
const MINUTE = 60_000;

/** Exponential backoff: base × 3^(attempt-1), capped at 30 minutes (5 s, 15 s, 45 s, 2¼ min…). */
export function retryDelayMs(attempt: number, baseMs = 5_000): number {
  return Math.min(30 * MINUTE, baseMs * 3 ** Math.max(0, attempt - 1));
}

export const retryBaseMs = () => Number(process.env.LOCKSTEP_RETRY_BASE_MS ?? 5_000);

/**
 * Whether confirming a manual task by hand needs a second, different person: on privileged systems (criticality
 * high or critical) and for privileged items (two-person control).
 */
export function needsSecondConfirmation(t: {
  privileged: boolean;
  systemCriticality: "low" | "medium" | "high" | "critical";
}): boolean {
  return t.privileged || t.systemCriticality === "high" || t.systemCriticality === "critical";
}
