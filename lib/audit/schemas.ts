import { z } from "zod";
import { isCalendarDay } from "@/lib/input";
import { pageParams } from "@/lib/pagination";

const day = z.string().refine(isCalendarDay).optional().catch(undefined);

export const auditFilters = z.object({
  actor: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  action: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  target: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  from: day,
  to: day,
});
export type AuditFilters = z.infer<typeof auditFilters>;
export const auditListInput = auditFilters.merge(pageParams);
export type AuditListInput = z.infer<typeof auditListInput>;
