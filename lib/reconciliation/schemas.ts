import { z } from "zod";
import { reconciliationFindingKind } from "@/db/schema/enums";
import { id, idParam } from "@/lib/input";
import { pageParams } from "@/lib/pagination";

export const requestReconciliationInput = z.object({ systemId: id });
export type RequestReconciliationInput = z.infer<typeof requestReconciliationInput>;

const FINDING_KINDS = reconciliationFindingKind.enumValues;

/** A run's findings of one kind, keyset-paged by userName (ties by id). `run` defaults to the latest finished run. */
export const findingsInput = z
  .object({
    systemId: idParam,
    kind: z.enum(FINDING_KINDS).default("uncorrelated"),
    run: idParam.optional(),
  })
  .merge(pageParams);
export type FindingsInput = z.infer<typeof findingsInput>;
