import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { intArray } from "@/db/sql";
import { eligibleIn } from "@/lib/people/eligible";
import type { BreakGlassPolicy } from "./rules";

/**
 * Who may approve a request, as SQL: active people holding the approver role who are neither the requester, the
 * subject, nor anyone in the subject's manager chain (a manager vouching for their own report is not independent).
 * Each candidate comes with the policy groups they count for and, when they are excluded, why.
 */
function candidatesSql(
  req: { requesterId: number; subjectId: number; systemOwnerId: number | null },
  policy: BreakGlassPolicy,
): SQL {
  const groups = policy.groups.length
    ? sql.join(
        policy.groups.map((g) =>
          g.kind === "department"
            ? sql`CASE WHEN a.department_id = ANY(${intArray(g.departmentIds)}) THEN ${g.label} END`
            : sql`CASE WHEN a.id = ${req.systemOwnerId ?? -1}::int THEN ${g.label} END`,
        ),
        sql`, `,
      )
    : sql`NULL::text`;
  return sql`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT manager_id, 1 FROM identities WHERE id = ${req.subjectId} AND manager_id IS NOT NULL
      UNION SELECT i.manager_id, c.depth + 1 FROM identities i JOIN chain c ON i.id = c.id
       WHERE i.manager_id IS NOT NULL AND c.depth < 20
    )
    SELECT a.id, a.display_name AS name, d.name AS department,
           coalesce(p.effective_strength, 0)::int AS strength,
           array_remove(ARRAY[${groups}], NULL) AS groups,
           CASE WHEN a.id = ${req.requesterId} THEN 'requested it'
                WHEN a.id = ${req.subjectId} THEN 'is the subject'
                WHEN a.id IN (SELECT id FROM chain) THEN 'is in the subject''s manager chain'
                WHEN NOT (${eligibleIn("a")}) THEN 'is not an active employee'
           END AS excluded
      FROM identities a
      JOIN console_roles r ON r.identity_id = a.id AND r.role = 'approver'
      LEFT JOIN departments d ON d.id = a.department_id
      LEFT JOIN identity_posture p ON p.identity_id = a.id
     ORDER BY a.display_name, a.id`;
}

const candidate = z.object({
  id: col.int,
  name: col.text,
  department: col.textOrNull,
  strength: col.int,
  groups: col.textArray,
  excluded: col.textOrNull,
});
export type ApproverCandidate = z.output<typeof candidate>;

export async function approverCandidates(
  db: Db,
  req: { requesterId: number; subjectId: number; systemOwnerId: number | null },
  policy: BreakGlassPolicy,
): Promise<ApproverCandidate[]> {
  return queryRows(db, candidatesSql(req, policy), candidate);
}
