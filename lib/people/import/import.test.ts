import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import { Forbidden, Invalid } from "@/lib/errors";
import { confirmRun, startRun } from "@/lib/imports";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { allRows, previewText } from "@/lib/testing/imports";
import { rowsOf } from "@/lib/testing/sql";
import type { PeopleImportResult } from "./apply.internal";

const WORKDAY =
  "Employee ID,Primary Work Email,Worker,Business Title,Supervisory Organization,Manager Employee ID,Worker Status,Termination Date,Primary Termination Reason";

/** Four active people without a console role or an open case, each with an employee number, email and department. */
async function fixture(db: Db) {
  const people = await rowsOf(
    db,
    sql`SELECT i.id, i.display_name AS name, i.email, i.employee_number, i.title, d.name AS department, i.manager_id
          FROM identities i JOIN departments d ON d.id = i.department_id
         WHERE i.kind = 'human' AND i.status = 'active' AND i.email IS NOT NULL AND i.employee_number IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
           AND NOT EXISTS (SELECT 1 FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed')
         ORDER BY i.id LIMIT 4`,
    {
      id: col.int,
      name: col.text,
      email: col.text,
      employee_number: col.text,
      title: col.textOrNull,
      department: col.text,
      manager_id: col.intOrNull,
    },
  );
  const [other] = await rowsOf(db, sql`SELECT name FROM departments WHERE name <> ${people[0].department} LIMIT 1`, {
    name: col.text,
  });
  return { people, otherDepartment: other.name };
}

const state = async (db: Db) =>
  (
    await rowsOf(
      db,
      sql`SELECT (SELECT count(*)::int FROM identities) AS identities,
                 (SELECT count(*)::int FROM departments) AS departments,
                 (SELECT count(*)::int FROM leaver_cases) AS cases,
                 (SELECT count(*)::int FROM audit_events) AS events,
                 (SELECT md5(string_agg(concat_ws('|', id, department_id, manager_id, title, status), ',' ORDER BY id))
                    FROM identities) AS people`,
      { identities: col.int, departments: col.int, cases: col.int, events: col.int, people: col.text },
    )
  )[0];

const person = async (db: Db, employeeNumber: string) =>
  (
    await rowsOf(
      db,
      sql`SELECT i.id, i.display_name AS name, i.kind::text AS kind, i.status::text AS status, i.title,
                 d.name AS department, i.manager_id, m.employee_number AS manager_number
            FROM identities i LEFT JOIN departments d ON d.id = i.department_id
            LEFT JOIN identities m ON m.id = i.manager_id WHERE i.employee_number = ${employeeNumber}`,
      {
        id: col.int,
        name: col.text,
        kind: col.text,
        status: col.text,
        title: col.textOrNull,
        department: col.textOrNull,
        manager_id: col.intOrNull,
        manager_number: col.textOrNull,
      },
    )
  )[0];

describe("HR roster import (kind hr_people)", () => {
  it("previews joiners, movers, leavers, unchanged rows and errors with line and reason, writes all of it on confirm, and a re-run changes nothing", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const { people, otherDepartment } = await fixture(db);
      const [a, b, c] = people;
      const csv = [
        WORKDAY,
        // A joiner whose manager joins further down the file, in a department Lockstep does not have yet.
        "HRJ-1,nia.new@example.com,Nia New,Engineer,Skunkworks,HRJ-2,,,",
        `${a.employee_number},${a.email},${a.name},Principal Mover,${otherDepartment},${c.employee_number},Active,,`,
        `${b.employee_number},,,,,,Terminated,2026-12-31,Resignation`,
        "HRJ-3,nameless@example.com,,Engineer,Skunkworks,,,,",
        // The manager, managed by someone already in Lockstep (named by email, in capitals).
        `HRJ-2,max.manager@example.com,Max Manager,Head of Skunkworks,skunkworks,${c.email.toUpperCase()},,,`,
        `${c.employee_number},${c.email},${c.name},${c.title ?? ""},${c.department},,,,`,
        "HRJ-4,lost@example.com,Lost Soul,Engineer,Skunkworks,ZZZ-NOBODY,,,",
        "HRJ-5,orphan@example.com,Orphan Row,Engineer,Skunkworks,HRJ-3,,,",
        `${a.employee_number},,,Again,,,,,`,
        "HRJ-6,fur@example.com,Fur Lough,Engineer,Skunkworks,,Furloughed,,",
        `HRJ-7,${b.email},Copy Cat,Engineer,Skunkworks,,,,`,
        "HRJ-8,self@example.com,Self Made,Engineer,Skunkworks,HRJ-8,,,",
        "",
      ].join("\n");
      const before = await state(db);
      const preview = await previewText(ctx, "hr_people", csv, { params: { mapping: "workday" } });
      expect(preview.fileErrors).toEqual([]);
      const rows = await allRows(ctx, preview.id);
      const byLine = Object.fromEntries(rows.map((r) => [r.line, [r.code ?? r.status, r.message]]));
      expect(byLine[2]).toEqual([
        "join",
        'New person; creates department "Skunkworks"; manager HRJ-2 (joins in this file).',
      ]);
      expect(byLine[3][0]).toBe("move");
      expect(byLine[3][1]).toContain(`department: ${a.department} → ${otherDepartment}`);
      expect(byLine[3][1]).toContain("title: ");
      expect(byLine[4]).toEqual(["leave", "Leaves: last day 2026-12-31 (voluntary)."]);
      expect(byLine[5]).toEqual(["error", "A new person needs a name."]);
      expect(byLine[6]).toEqual(["join", `New person; creates department "skunkworks"; manager ${c.name}.`]);
      expect(byLine[7]).toEqual(["unchanged", "Nothing changed."]);
      expect(byLine[8]).toEqual([
        "error",
        "No manager ZZZ-NOBODY: nobody in Lockstep or in this file has that employee number or email.",
      ]);
      expect(byLine[9]).toEqual(["error", "Manager HRJ-3 does not join: line 5 has an error."]);
      expect(byLine[10]).toEqual([
        "error",
        `Employee number ${a.employee_number} is also on line 3: one row per person.`,
      ]);
      expect(byLine[11]).toEqual(["error", 'Unknown status "Furloughed": use active or terminated.']);
      expect(byLine[12][1]).toBe(
        `Email ${b.email} already belongs to ${b.name} (employee number ${b.employee_number}).`,
      );
      expect(byLine[13]).toEqual(["error", "A person cannot be their own manager."]);
      expect(preview.counts).toMatchObject({ read: 12, ok: 4, error: 7, skipped: 1 });
      expect(preview.summary).toMatchObject({ newDepartments: ["Skunkworks"] });
      expect(await state(db)).toEqual(before);

      const [{ last }] = await rowsOf(db, sql`SELECT coalesce(max(id), 0)::int AS last FROM audit_events`, {
        last: col.int,
      });
      const done = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(done.summary.result as PeopleImportResult).toMatchObject({
        joined: 2,
        moved: 1,
        left: 1,
        departmentsCreated: 1,
      });
      const nia = await person(db, "HRJ-1");
      const max = await person(db, "HRJ-2");
      expect(nia).toMatchObject({ name: "Nia New", kind: "human", status: "active", title: "Engineer" });
      expect(nia).toMatchObject({ department: "Skunkworks", manager_id: max.id });
      expect(max).toMatchObject({ department: "Skunkworks", manager_id: c.id, title: "Head of Skunkworks" });
      expect(await person(db, a.employee_number)).toMatchObject({
        title: "Principal Mover",
        department: otherDepartment,
        manager_id: c.id,
      });
      expect(await person(db, b.employee_number)).toMatchObject({ status: "leaver" });
      expect(await person(db, c.employee_number)).toMatchObject({ manager_id: c.manager_id, title: c.title });
      const [cases] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n, min(c.last_day::text) AS last_day, min(c.reason::text) AS reason, min(b.source::text) AS source
              FROM leaver_cases c JOIN leaver_batches b ON b.id = c.batch_id WHERE c.identity_id = ${b.id}`,
        { n: col.int, last_day: col.text, reason: col.text, source: col.text },
      );
      expect(cases).toEqual({ n: 1, last_day: "2026-12-31", reason: "voluntary", source: "hr_import" });

      const events = await rowsOf(
        db,
        sql`SELECT action, target_label, before, after FROM audit_events WHERE id > ${last}
             AND action IN ('people.join', 'people.move', 'department.create') ORDER BY id`,
        { action: col.text, target_label: col.textOrNull, before: col.json(z.unknown()), after: col.json(z.unknown()) },
      );
      expect(events.map((e) => [e.action, e.target_label])).toEqual([
        ["department.create", "Skunkworks"],
        ["people.join", "Nia New"],
        ["people.move", a.name],
        ["people.join", "Max Manager"],
      ]);
      const move = events.find((e) => e.action === "people.move")!;
      expect(move.before).toMatchObject({ department: a.department, title: a.title });
      expect(move.after).toMatchObject({ department: otherDepartment, title: "Principal Mover", managerId: c.id });
      expect(events.find((e) => e.target_label === "Nia New")?.after).toMatchObject({
        department: "Skunkworks",
        managerId: max.id,
        employeeNumber: "HRJ-1",
      });
      const after = await state(db);
      expect(after).toMatchObject({ identities: before.identities + 2, departments: before.departments + 1 });

      // The same file again: everyone is as it says, the leaver has their case — nothing to apply, nothing changes.
      const again = await previewText(ctx, "hr_people", csv, { params: { mapping: "Workday" } });
      const second = Object.fromEntries((await allRows(ctx, again.id)).map((r) => [r.line, r.code ?? r.status]));
      expect([second[2], second[3], second[4], second[6], second[7]]).toEqual([
        "unchanged",
        "unchanged",
        "unchanged",
        "unchanged",
        "unchanged",
      ]);
      expect(again.counts.ok).toBe(0);
      await expect(confirmRun(ctx, { runId: again.id, digest: again.digest! })).rejects.toThrow(Invalid);
      expect(await state(db)).toEqual(after);
    });
  });

  it("resolves managers who join anywhere in a file longer than one batch, in any order", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["admin"]);
      const { people } = await fixture(db);
      const boss = people[0];
      // A chain of 1,500 joiners, each managed by the next row's person (the last by someone in Lockstep): every
      // manager is below the row that names them, most of them in a later batch.
      const n = 1_500;
      const num = (i: number) => `CH-${String(i).padStart(5, "0")}`;
      const lines = Array.from(
        { length: n },
        (_, i) =>
          `${num(i)},chain.${i}@example.com,Chain ${i},Engineer,Chain Gang,${i === n - 1 ? boss.email : num(i + 1)}`,
      );
      const csv = ["employee_number,email,name,title,department,manager", ...lines].join("\n");
      const preview = await previewText(ctx, "hr_people", csv);
      expect(preview.counts).toMatchObject({ read: n, ok: n, error: 0 });
      const done = await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(done.summary.result).toMatchObject({ joined: n, moved: 0, departmentsCreated: 1 });
      const wrong = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM identities i LEFT JOIN identities m ON m.id = i.manager_id
             WHERE i.employee_number LIKE 'CH-%'
               AND m.employee_number IS DISTINCT FROM
                   CASE WHEN i.employee_number = ${num(n - 1)} THEN ${boss.employee_number}
                        ELSE 'CH-' || lpad((substr(i.employee_number, 4)::int + 1)::text, 5, '0') END`,
        { n: col.int },
      );
      expect(wrong).toEqual([{ n: 0 }]);
    });
  });

  it("refuses a management loop, within the file or through someone's current manager", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const [pair] = await rowsOf(
        db,
        sql`SELECT i.employee_number AS report, m.employee_number AS boss FROM identities i JOIN identities m ON m.id = i.manager_id
             WHERE i.kind = 'human' AND m.kind = 'human' AND i.employee_number IS NOT NULL AND m.employee_number IS NOT NULL
             ORDER BY i.id LIMIT 1`,
        { report: col.text, boss: col.text },
      );
      const csv = [
        "employee_number,name,department,manager",
        "LOOP-1,Loop One,Loopers,LOOP-2",
        "LOOP-2,Loop Two,Loopers,LOOP-1",
        "LOOP-3,Loop Three,Loopers,LOOP-1",
        // Someone's manager made to report to their own report.
        `${pair.boss},,,${pair.report}`,
        "LOOP-4,Loop Four,Loopers,",
      ].join("\n");
      const preview = await previewText(ctx, "hr_people", csv);
      const byLine = Object.fromEntries(
        (await allRows(ctx, preview.id)).map((r) => [r.line, [r.code ?? r.status, r.message]]),
      );
      expect(byLine[2]).toEqual(["error", "Manager LOOP-2 would make a management loop."]);
      expect(byLine[3]).toEqual(["error", "Manager LOOP-1 would make a management loop."]);
      expect(byLine[4]).toEqual(["error", "Manager LOOP-1 does not join: line 2 has an error."]);
      expect(byLine[5]).toEqual(["error", `Manager ${pair.report} would make a management loop.`]);
      expect(byLine[6][0]).toBe("join");
    });
  });

  it("reads presets (first and last name), names a missing employee number column, and refuses other roles", async () => {
    await rollback(async (db) => {
      const ctx = await ctxAs(db, ["analyst"]);
      const { people } = await fixture(db);
      const csv = [
        "Employee #,Work Email,First Name,Last Name,Job Title,Department,Supervisor EID,Status,Termination Date",
        `BH-1,bea.bamboo@example.com,Bea,Bamboo,Analyst,Finance Ops,${people[1].employee_number},Active,`,
      ].join("\n");
      const preview = await previewText(ctx, "hr_people", csv, { params: { mapping: "BambooHR" } });
      const [row] = await allRows(ctx, preview.id);
      expect(row).toMatchObject({ code: "join", targetLabel: "Bea Bamboo" });
      await confirmRun(ctx, { runId: preview.id, digest: preview.digest! });
      expect(await person(db, "BH-1")).toMatchObject({ name: "Bea Bamboo", manager_id: people[1].id });

      const bad = await previewText(ctx, "hr_people", "email,name\nx@example.com,X\n");
      expect(bad.fileErrors).toEqual([
        { message: "No column for Employee number: map it to a header of the file (or name the column so)." },
      ]);
      for (const role of ["manager", "executive", "approver"] as const) {
        const wrong = await ctxAs(db, [role]);
        await expect(startRun(wrong, { kind: "hr_people", source: "ui", params: {} })).rejects.toThrow(Forbidden);
      }
    });
  });
});
