import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { csvItems } from "@/lib/imports/csv";
import { loadMapping, mappingParams } from "@/lib/imports/mapping-load";
import { defineKind } from "@/lib/imports/registry";
import type { Checked } from "@/lib/imports/types";
import { isCalendarDay, parseInstant } from "@/lib/input";
import { HR_LEAVER_FIELDS, HR_PRESETS } from "./import-fields";
import { openCases } from "./open-cases";
import { loadLeaverPolicy } from "./policy";
import { type LeaverReason, startOfDayIn } from "./rules";

/**
 * HR leaver file (import kind `hr_leavers`): CSV with `employee_number` or `email`, `reason`, and `effective_at`
 * (date-time) and/or `last_day` (date). The preview lists every row with its line number and what will happen
 * to it; confirming opens every ok row as one batch, through openCases, in the pipeline's transaction.
 * Row codes: ok rows have none; `duplicate` and `open_case` rows are skipped; errors say why.
 */
export const MAX_IMPORT_ROWS = 20_000;
const MAX_IMPORT_BYTES = 5_000_000;

/** What an ok (or skipped) row carries into apply and the preview table. */
export type HrRowData = {
  department: string | null;
  reason: LeaverReason | null;
  /** Null on an ok row: effective when the import is applied. */
  effectiveAt: string | null;
  lastDay: string | null;
};
/** `summary.result` of an applied HR run. */
export type HrImportResult = { batchId: number | null; imported: number; skippedRows: number };

/** Reason words of HR exports → the case reason (also read by the HR roster import, lib/people/import). */
export const REASONS: Record<string, LeaverReason> = {
  voluntary: "voluntary",
  resignation: "voluntary",
  involuntary: "involuntary",
  termination: "involuntary",
  layoff: "layoff",
  "lay off": "layoff",
  rif: "layoff",
  "contract end": "contract_end",
  contract_end: "contract_end",
  "contract-end": "contract_end",
};
const HEADER_ALIASES: Record<string, string> = {
  employee_number: "employee_number",
  "employee number": "employee_number",
  "employee no": "employee_number",
  "employee no.": "employee_number",
  employee_id: "employee_number",
  "employee id": "employee_number",
  email: "email",
  "work email": "email",
  reason: "reason",
  effective_at: "effective_at",
  "effective at": "effective_at",
  "effective time": "effective_at",
  effective: "effective_at",
  last_day: "last_day",
  "last day": "last_day",
  "last working day": "last_day",
  termination_date: "last_day",
};

/** Enough of an address to tell an email from a formula or a name; the person lookup does the rest. */
const EMAIL = /^[^\s@=+]+@[^\s@]+\.[^\s@]+$/;

type Raw = { employeeNumber: string; email: string; reason: string; effectiveAt: string; lastDay: string };

const personRow = z.object({
  id: col.int,
  name: col.text,
  kind: col.text,
  email: col.textOrNull,
  employee_number: col.textOrNull,
  department: col.textOrNull,
  open_case: col.intOrNull,
});

export const hrLeaversImport = defineKind({
  kind: "hr_leavers",
  label: "HR leaver file",
  noun: "file",
  permission: "leavers.manage",
  maxBytes: MAX_IMPORT_BYTES,
  maxRows: MAX_IMPORT_ROWS,
  params: z.object(mappingParams).strict(),
  options: z.object({ batchName: z.string().trim().max(200).optional() }),
  mapping: { fields: HR_LEAVER_FIELDS, presets: HR_PRESETS },

  prepare: async (ctx, run) => ({
    policy: await loadLeaverPolicy(ctx.db),
    columns: await loadMapping(ctx.db, "hr_leavers", run.params, HR_PRESETS),
  }),

  async *parse(input, _run, state) {
    let rows = 0;
    // A mapped header becomes its field; the others go by the usual names and aliases.
    const mapped = new Map(
      Object.entries(state.columns).map(([field, header]) => [header.trim().toLowerCase(), field]),
    );
    for await (const item of csvItems(input, {
      transformHeader: (h) => {
        const name = h.trim().toLowerCase();
        const field = mapped.get(name) ?? HEADER_ALIASES[name] ?? name;
        // A field the mapping puts elsewhere is not also read from a header that happens to be called so.
        return mapped.has(name) || !(field in state.columns) ? field : `(unmapped) ${name}`;
      },
    })) {
      if (item.type === "header") {
        const fields = item.fields;
        const errors: string[] = [];
        if (!fields.includes("employee_number") && !fields.includes("email"))
          errors.push("The file needs an employee_number or an email column.");
        if (!fields.includes("reason"))
          errors.push("The file needs a reason column (voluntary, involuntary, layoff or contract_end).");
        if (!fields.includes("effective_at") && !fields.includes("last_day"))
          errors.push("The file needs an effective_at or a last_day column.");
        for (const message of errors) yield { type: "fileError", message };
        if (errors.length) return;
        continue;
      }
      if (item.blank) continue;
      const r = item.values;
      const raw: Raw = {
        employeeNumber: (r.employee_number ?? "").trim(),
        email: (r.email ?? "").trim().toLowerCase(),
        reason: (r.reason ?? "").trim().toLowerCase().replace(/_/g, " "),
        effectiveAt: (r.effective_at ?? "").trim(),
        lastDay: (r.last_day ?? "").trim(),
      };
      if (!(raw.employeeNumber || raw.email || raw.reason || raw.effectiveAt || raw.lastDay)) continue;
      rows++;
      yield { type: "row", line: item.line, key: raw.employeeNumber || raw.email, data: raw };
    }
    // Reached only when the header was fine.
    if (rows === 0) yield { type: "fileError", message: "The file has a header but no rows." };
  },

  /** One lookup for the batch's people (by employee number or email), then the old per-row rules in order. */
  async validate(ctx, rows, { policy }) {
    const raws = rows.map((r) => r.data as Raw);
    const numbers = JSON.stringify([...new Set(raws.map((r) => r.employeeNumber).filter(Boolean))]);
    const emails = JSON.stringify([...new Set(raws.map((r) => r.email).filter(Boolean))]);
    const people = await queryRows(
      ctx.db,
      sql`
      SELECT i.id, i.display_name AS name, i.kind::text AS kind, lower(i.email) AS email, i.employee_number, d.name AS department,
             (SELECT c.id FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed' LIMIT 1) AS open_case
        FROM identities i LEFT JOIN departments d ON d.id = i.department_id
       WHERE i.employee_number IN (SELECT jsonb_array_elements_text(${numbers}::jsonb))
          OR lower(i.email) IN (SELECT jsonb_array_elements_text(${emails}::jsonb))`,
      personRow,
    );
    const byNumber = new Map(people.filter((p) => p.employee_number).map((p) => [p.employee_number!, p]));
    const byEmail = new Map(people.filter((p) => p.email).map((p) => [p.email!, p]));
    return raws.map((r): Checked => {
      const data: HrRowData = { department: null, reason: null, effectiveAt: null, lastDay: null };
      const row: Checked = { status: "ok", key: r.employeeNumber || r.email, data };
      const fail = (message: string) => Object.assign(row, { status: "error", message });
      const reason = REASONS[r.reason];
      const lastDayOk = !r.lastDay || isCalendarDay(r.lastDay);
      const effective = r.effectiveAt ? parseInstant(r.effectiveAt) : null;
      const p = (r.employeeNumber && byNumber.get(r.employeeNumber)) || (r.email && byEmail.get(r.email)) || null;
      if (!r.employeeNumber && !r.email) fail("No employee number or email.");
      // A key that is there must be a real one: a spreadsheet formula in the email column is not ignored because the
      // employee number matched (acceptance testing), and two keys must name the same person.
      else if (r.email && !EMAIL.test(r.email)) fail(`"${r.email}" is not an email address.`);
      else if (!reason)
        fail(
          r.reason
            ? `Unknown reason "${r.reason}": use voluntary, involuntary, layoff or contract_end.`
            : "No reason given.",
        );
      else if (!lastDayOk) fail(`Last day "${r.lastDay}" is not a date that exists (YYYY-MM-DD).`);
      else if (r.effectiveAt && !effective)
        fail(`Effective time "${r.effectiveAt}" is not a date and time that exists (e.g. 2026-11-02T17:00:00Z).`);
      else if (!effective && !r.lastDay) fail("Give an effective time or a last day.");
      else if (!p)
        fail(
          r.employeeNumber ? `No person with employee number ${r.employeeNumber}.` : `No person with email ${r.email}.`,
        );
      else if (r.employeeNumber && r.email && !byEmail.get(r.email))
        fail(`No person with email ${r.email} (employee number ${r.employeeNumber} is ${p.name}).`);
      else if (r.employeeNumber && r.email && byEmail.get(r.email)!.id !== p.id)
        fail(`Employee number ${r.employeeNumber} and email ${r.email} belong to different people.`);
      else if (p.kind !== "human") fail(`${p.name} is a ${p.kind.replace(/_/g, " ")}, not a person.`);
      if (p)
        Object.assign(row, {
          targetId: Number(p.id),
          targetLabel: p.name,
          data: { ...data, department: p.department },
        });
      if (row.status === "ok" && reason) {
        // No effective time: voluntary/contract-end leave at the start of their last day (their SLA is the end of
        // it); others when the import is applied (null here, the apply's clock then).
        const eff =
          effective ??
          (reason === "voluntary" || reason === "contract_end" ? startOfDayIn(r.lastDay, policy.timeZone) : null);
        Object.assign(row.data, { reason, effectiveAt: eff?.toISOString() ?? null, lastDay: r.lastDay || null });
        if (p?.open_case)
          Object.assign(row, {
            status: "skipped",
            code: "open_case",
            message: `Already has an open leaver case (#${p.open_case}); not duplicated.`,
          });
      }
      return row;
    });
  },

  /** The same person twice in the file: only the first ok row opens a case (set-based over the whole file). */
  async finalize(ctx, run) {
    await ctx.db.execute(sql`
      UPDATE import_rows r SET status = 'skipped', code = 'duplicate',
             message = 'Same person as line ' || d.first_line || '; only the first row is imported.'
        FROM (SELECT seq, first_value(line) OVER w AS first_line, row_number() OVER w AS n
                FROM import_rows WHERE run_id = ${run.id} AND status = 'ok'
              WINDOW w AS (PARTITION BY target_id ORDER BY seq)) d
       WHERE r.run_id = ${run.id} AND r.seq = d.seq AND d.n > 1`);
    return undefined;
  },

  /** Opens every ok row as one batch; someone who got a case since the preview is reported, never duplicated. */
  async apply({ ctx, run, options, okRows }) {
    const rows: { seq: number; identityId: number; data: HrRowData }[] = [];
    for await (const page of okRows())
      for (const r of page) rows.push({ seq: r.seq, identityId: r.targetId!, data: r.data as HrRowData });
    const name = options.batchName?.trim() || `HR import: ${run.fileName ?? "file"} (${rows.length} leavers)`;
    const result = await openCases(ctx, {
      leavers: rows.map((r) => ({
        identityId: r.identityId,
        reason: r.data.reason!,
        effectiveAt: r.data.effectiveAt ? new Date(r.data.effectiveAt) : ctx.now,
        lastDay: r.data.lastDay,
      })),
      batch: {
        name,
        source: "hr_import",
        fileName: run.fileName,
        rowCount: run.rowsRead,
        importRunId: run.id,
        rowsNotImported: run.rowsRead - rows.length,
      },
    });
    const lost = new Set(result.skipped.map((s) => s.identityId));
    const skipped = rows
      .filter((r) => lost.has(r.identityId))
      .map((r) => ({
        seq: r.seq,
        code: "open_case",
        message: "Got an open leaver case since the preview; not duplicated.",
      }));
    const imported = result.opened.length;
    return {
      applied: imported,
      skipped,
      result: { batchId: result.batchId, imported, skippedRows: run.rowsRead - imported } satisfies HrImportResult,
    };
  },
});
