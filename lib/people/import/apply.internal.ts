import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { leaverReason } from "@/db/schema";
import { type AuditInput, writeAuditMany } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import type { RunInfo } from "@/lib/imports/types";
import { openCases, SKIP_REASONS } from "@/lib/leavers/open-cases";

/** `summary.result` of an applied HR roster run. */
export type PeopleImportResult = {
  joined: number;
  moved: number;
  left: number;
  departmentsCreated: number;
  batchId: number | null;
};

const changed = z.object({
  seq: col.int,
  code: col.text,
  id: col.int,
  name: col.text,
  employee_number: col.text,
  email: col.textOrNull,
  title: col.textOrNull,
  department: col.textOrNull,
  manager_id: col.intOrNull,
  manager: col.textOrNull,
  before: col.json(z.record(z.string(), z.unknown()).nullable()),
});

/**
 * Writes an HR roster's ok rows in a fixed number of set-based statements, inside the pipeline's transaction:
 * new departments, joiners (active people), managers (of joiners and movers — a manager who joins in this file is
 * found by employee number once inserted), movers' department and title, then leaver cases for the terminations
 * through openCases (the leaver pillar's one path: batch, tasks, console access, its own audit events). Every
 * department created, person joined and person moved has its audit event (`department.create`, `people.join`,
 * `people.move` with before/after). A joiner whose employee number or email someone took since the preview is
 * skipped with the reason, never a second person.
 */
export async function applyPeople(
  ctx: Ctx,
  run: RunInfo,
  batchName: string | undefined,
): Promise<{ applied: number; result: PeopleImportResult; skipped: { seq: number; code: string; message: string }[] }> {
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  const ok = (codes: string) =>
    sql`import_rows r WHERE r.run_id = ${run.id} AND r.status = 'ok' AND r.code IN (${sql.raw(codes)})`;

  const departments = await queryRows(
    ctx.db,
    sql`
    INSERT INTO departments (name, code)
    SELECT name, 'HR-' || left(coalesce(nullif(trim(both '-' from upper(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g'))), ''), 'DEPT'), 24)
                  || '-' || left(md5(lower(name)), 6)
      FROM (SELECT DISTINCT ON (lower(r.data->>'department')) r.data->>'department' AS name
              FROM ${ok("'join', 'move'")} AND (r.data->>'departmentNew')::boolean
             ORDER BY lower(r.data->>'department'), r.seq) d
     WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE lower(x.name) = lower(d.name))
    ON CONFLICT DO NOTHING
    RETURNING id, name, code`,
    z.object({ id: col.int, name: col.text, code: col.text }),
  );

  // Joiners; the rows then point at the people they created (the run's record, and the steps below).
  const joined = await queryRows(
    ctx.db,
    sql`
    WITH ins AS (
      INSERT INTO identities (kind, display_name, email, employee_number, department_id, title, status, created_at, updated_at)
      SELECT 'human', r.data->>'name', r.data->>'email', r.key,
             (SELECT d.id FROM departments d WHERE lower(d.name) = lower(r.data->>'department')),
             r.data->>'title', 'active', ${now}, ${now}
        FROM ${ok("'join'")}
       ORDER BY r.seq
      ON CONFLICT DO NOTHING
      RETURNING id, employee_number)
    UPDATE import_rows r SET target_id = ins.id
      FROM ins WHERE r.run_id = ${run.id} AND r.status = 'ok' AND r.code = 'join' AND r.key = ins.employee_number
    RETURNING r.seq`,
    z.object({ seq: col.int }),
  );
  const lost = await queryRows(
    ctx.db,
    sql`SELECT r.seq FROM ${ok("'join'")} AND r.target_id IS NULL`,
    z.object({ seq: col.int }),
  );
  const skipped = lost.map((l) => ({
    seq: l.seq,
    code: "taken",
    message: "Someone with this employee number or email was added since the preview; not created twice.",
  }));

  // Managers: someone in Lockstep at preview time, or a joiner of this file (by their employee number).
  await ctx.db.execute(sql`
    UPDATE identities i SET manager_id = m.id, updated_at = ${now}
      FROM import_rows r
      JOIN identities m ON m.id = coalesce((r.data->>'managerId')::int,
                                           (SELECT x.id FROM identities x WHERE x.employee_number = r.data->>'managerNumber'))
     WHERE r.run_id = ${run.id} AND r.status = 'ok' AND r.code IN ('join', 'move') AND r.target_id IS NOT NULL
       AND i.id = r.target_id AND m.id <> i.id AND i.manager_id IS DISTINCT FROM m.id`);
  await ctx.db.execute(sql`
    UPDATE identities i
       SET department_id = coalesce((SELECT d.id FROM departments d WHERE lower(d.name) = lower(r.data->>'department')), i.department_id),
           title = coalesce(r.data->>'title', i.title), updated_at = ${now}
      FROM import_rows r
     WHERE r.run_id = ${run.id} AND r.status = 'ok' AND r.code = 'move' AND i.id = r.target_id`);

  // The audit trail: each joiner as created, each mover's changed fields before and after.
  const people = await queryRows(
    ctx.db,
    sql`
    SELECT r.seq, r.code, i.id, i.display_name AS name, i.employee_number, i.email, i.title, d.name AS department,
           i.manager_id, m.display_name AS manager, r.data->'before' AS before
      FROM import_rows r JOIN identities i ON i.id = r.target_id
      LEFT JOIN departments d ON d.id = i.department_id
      LEFT JOIN identities m ON m.id = i.manager_id
     WHERE r.run_id = ${run.id} AND r.status = 'ok' AND r.code IN ('join', 'move')
     ORDER BY r.seq`,
    changed,
  );
  const metadata = { source: "hr_import", importRun: run.id, fileName: run.fileName };
  const events: AuditInput[] = [
    ...departments.map((d) => ({
      action: "department.create" as const,
      target: { type: "department", id: d.id, label: d.name },
      after: { name: d.name, code: d.code },
      metadata,
    })),
    ...people.map((p): AuditInput => {
      const target = { type: "identity", id: p.id, label: p.name };
      const current: Record<string, unknown> = {
        department: p.department,
        title: p.title,
        managerId: p.manager_id,
        manager: p.manager,
      };
      if (p.code === "join")
        return {
          action: "people.join",
          target,
          after: { employeeNumber: p.employee_number, email: p.email, displayName: p.name, ...current },
          metadata,
        };
      const before = p.before ?? {};
      return {
        action: "people.move",
        target,
        before,
        after: Object.fromEntries(Object.keys(before).map((k) => [k, current[k]])),
        metadata,
      };
    }),
  ];
  await writeAuditMany(ctx, events);

  // Leavers: the leaver pillar's set-based path, one batch for the file.
  const leaves = await queryRows(
    ctx.db,
    sql`SELECT r.seq, r.target_id::int AS identity_id, r.data->'leave' AS leave FROM ${ok("'leave'")} ORDER BY r.seq`,
    z.object({
      seq: col.int,
      identity_id: col.int,
      leave: col.json(z.object({ reason: z.enum(leaverReason.enumValues), lastDay: z.string() })),
    }),
  );
  let left = 0;
  let batchId: number | null = null;
  if (leaves.length) {
    const opened = await openCases(ctx, {
      leavers: leaves.map((l) => ({
        identityId: l.identity_id,
        reason: l.leave.reason,
        lastDay: l.leave.lastDay,
      })),
      batch: {
        name: batchName?.trim() || `HR roster: ${run.fileName ?? "file"} (${leaves.length} leavers)`,
        source: "hr_import",
        fileName: run.fileName,
        rowCount: run.rowsRead,
        // The rows with errors stay listed in the run (the batch page links its error report).
        importRunId: run.id,
        rowsNotImported: run.rowsError,
      },
    });
    batchId = opened.batchId;
    left = opened.opened.length;
    const why = new Map(opened.skipped.map((s) => [s.identityId, SKIP_REASONS[s.reason]]));
    for (const l of leaves) {
      const reason = why.get(l.identity_id);
      if (reason)
        skipped.push({ seq: l.seq, code: "not_offboarded", message: `Not offboarded: this person ${reason}.` });
    }
  }

  const moved = people.filter((p) => p.code === "move").length;
  const result: PeopleImportResult = {
    joined: joined.length,
    moved,
    left,
    departmentsCreated: departments.length,
    batchId,
  };
  return { applied: joined.length + moved + left, result, skipped };
}
