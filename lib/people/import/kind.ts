import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { textArray } from "@/db/sql";
import { mappedCsv } from "@/lib/imports/mapped-csv";
import { loadMapping, mappingParams } from "@/lib/imports/mapping-load";
import { defineKind } from "@/lib/imports/registry";
import type { Checked } from "@/lib/imports/types";
import { isCalendarDay } from "@/lib/input";
import { REASONS } from "@/lib/leavers/import";
import type { LeaverReason } from "@/lib/leavers/rules";
import { applyPeople } from "./apply.internal";
import { HR_PEOPLE_FIELDS, HR_PEOPLE_PRESETS, statusOf } from "./fields";
import { finalizePeople } from "./finalize.internal";

/**
 * HR roster (import kind `hr_people`): one row per person of an HR export — employee number, email, name, title,
 * department, manager (their employee number or email), and optionally status, termination date and reason.
 * Each row is a `join` (an employee number Lockstep does not know: a new active person), a `move` (department,
 * manager or title differ: the person is updated), a `leave` (a termination: a leaver case through the leaver
 * pillar's openCases), `unchanged` (skipped, so a re-run changes nothing) or an error with its line and reason.
 * A department nobody has yet is created (the preview says so on each row that names it). An empty cell keeps what
 * Lockstep has. A manager may be someone who joins in the same file, wherever their row is (resolved in finalize).
 */
const MAX_PEOPLE_ROWS = 100_000;
const MAX_PEOPLE_BYTES = 50_000_000;

type Raw = {
  employeeNumber: string;
  email: string | null;
  name: string | null;
  title: string | null;
  department: string | null;
  manager: string | null;
  leaving: boolean;
  terminationDate: string | null;
  reason: string | null;
};

/** What a row carries into finalize, apply and the preview table. */
type PersonRowData = Raw & {
  /** The department is not in Lockstep yet: confirming creates it. */
  departmentNew: boolean;
  /** The manager, when already in Lockstep. */
  managerId: number | null;
  /** The manager's employee number when they join in this file (set by finalize). */
  managerNumber: string | null;
  /** The manager joins in this file: finalize finds their row (or makes this row an error). */
  managerPending: boolean;
  /** A mover's values before, for the audit event (changed fields only). */
  before: Record<string, unknown> | null;
  /** A leaver's case. */
  leave: { reason: LeaverReason; lastDay: string } | null;
};

const found = z.object({
  via: col.text,
  key: col.text,
  id: col.int,
  name: col.text,
  kind: col.text,
  status: col.text,
  employee_number: col.textOrNull,
  title: col.textOrNull,
  department: col.textOrNull,
  manager_id: col.intOrNull,
  manager_name: col.textOrNull,
  open_case: col.intOrNull,
});
const same = (a: string | null, b: string | null) => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

export const hrPeopleImport = defineKind({
  kind: "hr_people",
  label: "HR roster",
  noun: "file",
  // Leavers open cases: the same permission as the leaver import (analysts and admins).
  permission: "leavers.manage",
  maxBytes: MAX_PEOPLE_BYTES,
  maxRows: MAX_PEOPLE_ROWS,
  params: z.object(mappingParams).strict(),
  options: z.object({ batchName: z.string().trim().max(200).optional() }),
  mapping: { fields: HR_PEOPLE_FIELDS, presets: HR_PEOPLE_PRESETS },

  prepare: async (ctx, run) => ({
    columns: await loadMapping(ctx.db, "hr_people", run.params, HR_PEOPLE_PRESETS),
  }),

  async *parse(input, _run, state) {
    for await (const item of mappedCsv(input, HR_PEOPLE_FIELDS, state.columns)) {
      if (item.type === "fileError") {
        yield item;
        continue;
      }
      const v = item.values;
      const status = statusOf(v.status ?? "");
      const name = v.name || [v.first_name, v.last_name].filter(Boolean).join(" ") || null;
      const raw: Raw = {
        employeeNumber: v.employee_number ?? "",
        email: v.email?.toLowerCase() || null,
        name,
        title: v.title || null,
        department: v.department || null,
        manager: v.manager || null,
        leaving: status === "leaving" || Boolean(v.termination_date),
        terminationDate: v.termination_date || null,
        reason: v.reason?.toLowerCase().replace(/_/g, " ") || null,
      };
      const problem = !raw.employeeNumber
        ? "No employee number."
        : raw.employeeNumber.length > 100
          ? "The employee number is longer than 100 characters."
          : status === null
            ? `Unknown status "${v.status}": use active or terminated.`
            : raw.terminationDate && !isCalendarDay(raw.terminationDate)
              ? `Termination date "${raw.terminationDate}" is not a date (YYYY-MM-DD).`
              : raw.leaving && !raw.terminationDate
                ? "Terminated without a termination date: give the person's last day."
                : raw.reason && !REASONS[raw.reason]
                  ? `Unknown termination reason "${v.reason}": use voluntary, involuntary, layoff or contract_end.`
                  : [raw.name, raw.title, raw.department].some((s) => s && s.length > 200)
                    ? "A name, title or department is longer than 200 characters."
                    : null;
      yield problem
        ? {
            type: "row",
            line: item.line,
            key: raw.employeeNumber || null,
            data: raw,
            status: "error",
            message: problem,
          }
        : { type: "row", line: item.line, key: raw.employeeNumber, data: raw };
    }
  },

  /** One round trip: people by employee number, email and manager reference, and the departments named. */
  async validate(ctx, rows) {
    const raws = rows.map((r) => r.data as Raw);
    const numbers = [...new Set(raws.map((r) => r.employeeNumber))];
    const emails = [...new Set(raws.flatMap((r) => (r.email ? [r.email] : [])))];
    const refs = [...new Set(raws.flatMap((r) => (r.manager ? [r.manager] : [])))];
    const depts = [...new Set(raws.flatMap((r) => (r.department ? [r.department.toLowerCase()] : [])))];
    const hits = await queryRows(
      ctx.db,
      sql`
      WITH hit AS (
        SELECT 'number' AS via, i.employee_number AS key, i.id FROM identities i WHERE i.employee_number = ANY(${textArray(numbers)})
        UNION ALL
        SELECT 'email', lower(i.email), i.id FROM identities i WHERE lower(i.email) = ANY(${textArray(emails)})
        UNION ALL
        SELECT 'manager', i.employee_number, i.id FROM identities i WHERE i.employee_number = ANY(${textArray(refs)})
        UNION ALL
        SELECT 'manager', r.ref, i.id FROM unnest(${textArray(refs)}) AS r(ref)
          JOIN identities i ON lower(i.email) = lower(r.ref))
      SELECT h.via, h.key, i.id, i.display_name AS name, i.kind::text AS kind, i.status::text AS status, i.employee_number,
             i.title, d.name AS department, i.manager_id, m.display_name AS manager_name,
             (SELECT c.id FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed' LIMIT 1) AS open_case
        FROM hit h JOIN identities i ON i.id = h.id
        LEFT JOIN departments d ON d.id = i.department_id
        LEFT JOIN identities m ON m.id = i.manager_id
      UNION ALL
      SELECT 'department', lower(d.name), d.id, d.name, '', '', NULL, NULL, NULL, NULL, NULL, NULL
        FROM departments d WHERE lower(d.name) = ANY(${textArray(depts)})`,
      found,
    );
    const by = (via: string) => new Map(hits.filter((h) => h.via === via).map((h) => [h.key, h]));
    const [byNumber, byEmail, departments] = [by("number"), by("email"), by("department")];
    // A reference by employee number wins over one by email (someone's number may look like another's email).
    const managers = new Map<string, (typeof hits)[number]>();
    for (const h of hits.filter((x) => x.via === "manager"))
      if (!managers.has(h.key) || h.employee_number === h.key) managers.set(h.key, h);

    return raws.map((r): Checked => {
      const person = byNumber.get(r.employeeNumber) ?? null;
      const emailOwner = r.email ? byEmail.get(r.email) : undefined;
      const manager = r.manager ? managers.get(r.manager) : undefined;
      const data: PersonRowData = {
        ...r,
        departmentNew: Boolean(r.department && !departments.has(r.department.toLowerCase())),
        managerId: manager?.id ?? null,
        managerNumber: null,
        managerPending: Boolean(r.manager && !manager),
        before: null,
        leave: null,
      };
      const row: Checked = {
        status: "ok",
        key: r.employeeNumber,
        targetId: person?.id ?? null,
        targetLabel: person?.name ?? r.name,
        data,
      };
      const fail = (message: string): Checked => ({ ...row, status: "error", message });
      const skip = (message: string): Checked => ({ ...row, status: "skipped", code: "unchanged", message });
      if (person && person.kind !== "human")
        return fail(`${person.name} is a ${person.kind.replace(/_/g, " ")}, not a person.`);
      if (emailOwner && emailOwner.id !== person?.id)
        return fail(
          person
            ? `Employee number ${r.employeeNumber} and email ${r.email} belong to different people.`
            : `Email ${r.email} already belongs to ${emailOwner.name}${emailOwner.employee_number ? ` (employee number ${emailOwner.employee_number})` : ""}.`,
        );
      const isSelf =
        (manager && manager.id === person?.id) ||
        (data.managerPending && (r.manager === r.employeeNumber || same(r.manager, r.email)));
      if (!r.leaving && isSelf) return fail("A person cannot be their own manager.");
      if (manager && manager.kind !== "human") return fail(`Manager ${manager.name} is not a person.`);

      if (r.leaving) {
        if (!person) return fail(`No person with employee number ${r.employeeNumber} to offboard.`);
        if (person.open_case) return skip(`Already has an open leaver case (#${person.open_case}).`);
        if (person.status === "leaver") return skip("Already a leaver.");
        const reason = REASONS[r.reason ?? "voluntary"];
        // When they leave is the leaver pillar's default (openCases): a voluntary or contract-end leaver at the end of
        // their last day in the organisation's zone, others when the file is confirmed.
        const last = r.terminationDate!;
        data.leave = { reason, lastDay: last };
        return { ...row, code: "leave", message: `Leaves: last day ${last} (${reason.replace(/_/g, " ")}).` };
      }

      const newDept = data.departmentNew ? `creates department "${r.department}"` : null;
      const managerText = (id: number | null, label: string | null) => (id === null ? "none" : (label ?? `#${id}`));
      const newManager = manager ? manager.name : r.manager ? `${r.manager} (joins in this file)` : null;
      if (!person) {
        if (!r.name) return fail("A new person needs a name.");
        if (!r.department) return fail("A new person needs a department.");
        const parts = ["New person", newDept, newManager ? `manager ${newManager}` : null];
        return { ...row, code: "join", message: `${parts.filter(Boolean).join("; ")}.` };
      }
      const changes: string[] = [];
      const before: Record<string, unknown> = {};
      if (r.department && !same(r.department, person.department)) {
        changes.push(`department: ${person.department ?? "none"} → ${r.department}${newDept ? " (new)" : ""}`);
        before.department = person.department;
      }
      if (r.title && r.title !== person.title) {
        changes.push(`title: ${person.title ?? "none"} → ${r.title}`);
        before.title = person.title;
      }
      if (r.manager && (data.managerPending || manager?.id !== person.manager_id)) {
        changes.push(`manager: ${managerText(person.manager_id, person.manager_name)} → ${newManager}`);
        before.managerId = person.manager_id;
        before.manager = person.manager_name;
      }
      if (!changes.length) return skip("Nothing changed.");
      data.before = before;
      return { ...row, code: "move", message: `${changes.join("; ")}.` };
    });
  },

  finalize: (ctx, run) => finalizePeople(ctx, run.id),

  apply: ({ ctx, run, options }) => applyPeople(ctx, run, options.batchName),
});
