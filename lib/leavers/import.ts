import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { queryRows } from "@/db/client";
import { authorize } from "@/lib/authz";
import { type Ctx, transact } from "@/lib/context";
import { Conflict, Invalid } from "@/lib/errors";
import { type OpenCasesResult, openCases } from "./open-cases";
import { loadLeaverPolicy } from "./policy";
import { type LeaverReason, startOfDayIn } from "./rules";

/**
 * HR file import: CSV with `employee_number` or `email`, `reason`, and `effective_at` (date-time) and/or
 * `last_day` (date). The preview lists every row with its line number and what will happen to it; nothing is
 * written until the analyst confirms, and the confirmation opens every good row in one transaction.
 */
const MAX_IMPORT_ROWS = 20_000;
export type RowStatus = "ok" | "error" | "duplicate" | "open_case";
type ImportRow = {
  line: number;
  status: RowStatus;
  message: string | null;
  key: string;
  identityId: number | null;
  name: string | null;
  department: string | null;
  reason: LeaverReason | null;
  effectiveAt: string | null;
  lastDay: string | null;
};
export type ImportPreview = {
  fileName: string;
  digest: string;
  fileErrors: string[];
  rows: ImportRow[];
  counts: Record<RowStatus, number>;
};

const REASONS: Record<string, LeaverReason> = {
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

export const digestOf = (csv: string) => createHash("sha256").update(csv).digest("hex");

type Parsed = {
  line: number;
  employeeNumber: string;
  email: string;
  reason: string;
  effectiveAt: string;
  lastDay: string;
};

function parseCsv(csv: string): { rows: Parsed[]; fileErrors: string[] } {
  const result = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), {
    header: true,
    skipEmptyLines: false,
    transformHeader: (h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? h.trim().toLowerCase(),
  });
  const fields = result.meta.fields ?? [];
  const fileErrors: string[] = [];
  if (!fields.includes("employee_number") && !fields.includes("email"))
    fileErrors.push("The file needs an employee_number or an email column.");
  if (!fields.includes("reason"))
    fileErrors.push("The file needs a reason column (voluntary, involuntary, layoff or contract_end).");
  if (!fields.includes("effective_at") && !fields.includes("last_day"))
    fileErrors.push("The file needs an effective_at or a last_day column.");
  // Data row i sits on line i + 2 (line 1 is the header); quoted values spanning lines would shift this.
  const rows = result.data
    .map((r, i) => ({
      line: i + 2,
      employeeNumber: (r.employee_number ?? "").trim(),
      email: (r.email ?? "").trim().toLowerCase(),
      reason: (r.reason ?? "").trim().toLowerCase().replace(/_/g, " "),
      effectiveAt: (r.effective_at ?? "").trim(),
      lastDay: (r.last_day ?? "").trim(),
    }))
    .filter((r) => r.employeeNumber || r.email || r.reason || r.effectiveAt || r.lastDay);
  if (rows.length === 0 && fileErrors.length === 0) fileErrors.push("The file has a header but no rows.");
  if (rows.length > MAX_IMPORT_ROWS)
    fileErrors.push(
      `The file has ${rows.length.toLocaleString("en-US")} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString("en-US")} at a time.`,
    );
  return { rows, fileErrors };
}

type Person = {
  id: number;
  name: string;
  kind: string;
  email: string | null;
  employee_number: string | null;
  department: string | null;
  open_case: number | null;
};

export async function previewImport(ctx: Ctx, input: { csv: string; fileName: string }): Promise<ImportPreview> {
  authorize(ctx.actor, "leavers.manage");
  const { rows, fileErrors } = parseCsv(input.csv);
  const preview: ImportPreview = {
    fileName: input.fileName,
    digest: digestOf(input.csv),
    fileErrors,
    rows: [],
    counts: { ok: 0, error: 0, duplicate: 0, open_case: 0 },
  };
  if (fileErrors.length) return preview;
  const numbers = `{${[...new Set(rows.map((r) => r.employeeNumber).filter(Boolean))].map((n) => JSON.stringify(n)).join(",")}}`;
  const emails = `{${[...new Set(rows.map((r) => r.email).filter(Boolean))].map((n) => JSON.stringify(n)).join(",")}}`;
  const people = await queryRows<Person>(
    ctx.db,
    sql`
    SELECT i.id, i.display_name AS name, i.kind::text AS kind, lower(i.email) AS email, i.employee_number, d.name AS department,
           (SELECT c.id FROM leaver_cases c WHERE c.identity_id = i.id AND c.status <> 'closed' LIMIT 1) AS open_case
      FROM identities i LEFT JOIN departments d ON d.id = i.department_id
     WHERE i.employee_number = ANY(${numbers}::text[]) OR lower(i.email) = ANY(${emails}::text[])`,
  );
  const byNumber = new Map(people.filter((p) => p.employee_number).map((p) => [p.employee_number!, p]));
  const byEmail = new Map(people.filter((p) => p.email).map((p) => [p.email!, p]));
  const policy = await loadLeaverPolicy(ctx.db);
  const firstLine = new Map<number, number>();

  for (const r of rows) {
    const row: ImportRow = {
      line: r.line,
      status: "ok",
      message: null,
      key: r.employeeNumber || r.email,
      identityId: null,
      name: null,
      department: null,
      reason: null,
      effectiveAt: null,
      lastDay: null,
    };
    const fail = (message: string, status: RowStatus = "error") => Object.assign(row, { status, message });
    const reason = REASONS[r.reason];
    const lastDayOk =
      !r.lastDay || (/^\d{4}-\d{2}-\d{2}$/.test(r.lastDay) && !Number.isNaN(Date.parse(`${r.lastDay}T00:00:00Z`)));
    const effective = r.effectiveAt ? new Date(r.effectiveAt) : null;
    const p = (r.employeeNumber && byNumber.get(r.employeeNumber)) || (r.email && byEmail.get(r.email)) || null;
    if (!r.employeeNumber && !r.email) fail("No employee number or email.");
    else if (!reason)
      fail(
        r.reason
          ? `Unknown reason "${r.reason}": use voluntary, involuntary, layoff or contract_end.`
          : "No reason given.",
      );
    else if (!lastDayOk) fail(`Last day "${r.lastDay}" is not a date (YYYY-MM-DD).`);
    else if (effective && Number.isNaN(effective.getTime()))
      fail(`Effective time "${r.effectiveAt}" is not a date and time (e.g. 2026-11-02T17:00:00Z).`);
    else if (!effective && !r.lastDay) fail("Give an effective time or a last day.");
    else if (!p)
      fail(
        r.employeeNumber ? `No person with employee number ${r.employeeNumber}.` : `No person with email ${r.email}.`,
      );
    else if (r.employeeNumber && r.email && byEmail.get(r.email) && byEmail.get(r.email)!.id !== p.id)
      fail(`Employee number ${r.employeeNumber} and email ${r.email} belong to different people.`);
    else if (p.kind !== "human") fail(`${p.name} is a ${p.kind.replace(/_/g, " ")}, not a person.`);
    if (p) Object.assign(row, { identityId: Number(p.id), name: p.name, department: p.department });
    if (row.status === "ok" && reason) {
      // No effective time: voluntary/contract-end leave at the start of their last day (their SLA is the end of it); others on import.
      const eff =
        effective ??
        (reason === "voluntary" || reason === "contract_end" ? startOfDayIn(r.lastDay, policy.timeZone) : ctx.now);
      Object.assign(row, { reason, effectiveAt: eff.toISOString(), lastDay: r.lastDay || null });
      const seen = firstLine.get(row.identityId!);
      if (seen) fail(`Same person as line ${seen}; only the first row is imported.`, "duplicate");
      else if (p?.open_case) fail(`Already has an open leaver case (#${p.open_case}); not duplicated.`, "open_case");
      else firstLine.set(row.identityId!, row.line);
    }
    preview.counts[row.status]++;
    preview.rows.push(row);
  }
  return preview;
}

/**
 * Opens a case for every good row of the previewed file, as one batch, in one transaction. The file must be
 * the one previewed (same digest); rows in error, duplicates and people with an open case are skipped.
 */
export async function confirmImport(
  ctx: Ctx,
  input: { csv: string; fileName: string; digest: string; batchName?: string },
): Promise<OpenCasesResult & { imported: number; skippedRows: number }> {
  authorize(ctx.actor, "leavers.manage");
  if (digestOf(input.csv) !== input.digest) throw new Conflict("The file changed since the preview; preview it again.");
  return transact(ctx, async (tx) => {
    const preview = await previewImport(tx, input);
    if (preview.fileErrors.length) throw new Invalid(preview.fileErrors.join(" "));
    const ok = preview.rows.filter((r) => r.status === "ok");
    if (ok.length === 0) throw new Invalid("No row of this file can be imported.");
    const name = input.batchName?.trim() || `HR import: ${input.fileName} (${ok.length} leavers)`;
    const result = await openCases(tx, {
      leavers: ok.map((r) => ({
        identityId: r.identityId!,
        reason: r.reason!,
        effectiveAt: new Date(r.effectiveAt!),
        lastDay: r.lastDay,
      })),
      batch: { name, source: "hr_import", fileName: input.fileName, rowCount: preview.rows.length },
    });
    return { ...result, imported: result.opened.length, skippedRows: preview.rows.length - ok.length };
  });
}
