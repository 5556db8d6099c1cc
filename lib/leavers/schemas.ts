import { z } from "zod";
import { calendarDay, idField as id, idFields as ids, parseInstant } from "@/lib/input";

export const assignInput = z.object({ caseIds: ids, assigneeId: id.nullable() });
export const executeInput = z
  .object({ caseIds: ids.optional(), taskIds: ids.optional(), batchId: id.optional() })
  .refine(
    (v) => Boolean(v.caseIds?.length || v.taskIds?.length || v.batchId),
    "Choose cases, tasks or a batch to execute.",
  );
export const caseInput = z.object({ caseId: id });

const LEAVER_REASONS = ["voluntary", "involuntary", "layoff", "contract_end"] as const;

export const startOffboardingInput = z.object({
  identityId: id,
  reason: z.enum(LEAVER_REASONS),
  /** ISO date-time from the form (the browser sends its local time with offset) or empty for "now". */
  effectiveAt: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const d = parseInstant(v);
      if (!d) {
        ctx.addIssue({ code: "custom", message: "Effective time is not a date and time." });
        return z.NEVER;
      }
      return d;
    }),
  lastDay: calendarDay("Last day must be a date that exists (YYYY-MM-DD).")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
