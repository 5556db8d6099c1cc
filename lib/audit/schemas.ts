import { z } from "zod";
import { isoDay, text } from "@/lib/input";
import { pageParams } from "@/lib/pagination";

// A day that is not one (an edited "2026-02-30") is no filter, as on the page's date inputs.
const day = isoDay.optional().catch(undefined);

export const auditFilters = z.object({
  actor: text(100)
    .optional()
    .transform((v) => v || undefined),
  action: text(100)
    .optional()
    .transform((v) => v || undefined),
  target: text(100)
    .optional()
    .transform((v) => v || undefined),
  from: day,
  to: day,
});
export type AuditFilters = z.infer<typeof auditFilters>;
export const auditListInput = auditFilters.merge(pageParams);
export type AuditListInput = z.infer<typeof auditListInput>;
