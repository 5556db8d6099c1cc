import { z } from "zod";
import { identityKind, identityStatus } from "@/db/schema/enums";
import { idField, text } from "@/lib/input";
import { pageParams } from "@/lib/pagination";

export const peopleFilters = z.object({
  q: text(100)
    .optional()
    .transform((v) => v || undefined),
  department: z.coerce.number().int().positive().optional().catch(undefined),
  kind: z.enum(identityKind.enumValues).optional().catch(undefined),
  status: z.enum(identityStatus.enumValues).optional().catch(undefined),
});
export type PeopleFilters = z.infer<typeof peopleFilters>;

export const peopleListInput = peopleFilters.merge(pageParams);
export type PeopleListInput = z.infer<typeof peopleListInput>;

export const personIdInput = z.object({ id: idField });
