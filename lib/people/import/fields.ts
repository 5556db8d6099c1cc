import type { ColumnMapping, MappingField } from "@/lib/imports/mapping";

/**
 * The fields of an HR roster (import kind `hr_people`); headers named so (or an alias) need no mapping. Only the
 * employee number is required of the file: a joiner's row also needs a name and a department, a leaver's a
 * termination date — each checked per row, so one bad row does not reject a whole roster.
 */
export const HR_PEOPLE_FIELDS: readonly MappingField[] = [
  {
    name: "employee_number",
    label: "Employee number",
    required: true,
    aliases: ["employee number", "employee no", "employee no.", "employee_id", "employee id", "employee #"],
  },
  { name: "email", label: "Email", aliases: ["work email", "primary work email"] },
  { name: "name", label: "Name", aliases: ["full name", "display name", "display_name", "worker"] },
  { name: "first_name", label: "First name", aliases: ["first name", "given name", "preferred first name"] },
  { name: "last_name", label: "Last name", aliases: ["last name", "surname", "family name"] },
  { name: "title", label: "Title", aliases: ["job title", "business title", "position"] },
  { name: "department", label: "Department", aliases: ["dept", "supervisory organization"] },
  {
    name: "manager",
    label: "Manager (employee number or email)",
    aliases: ["manager employee number", "manager email", "manager_email", "supervisor eid", "manager id"],
  },
  { name: "status", label: "Status", aliases: ["worker status", "employment status", "employee status"] },
  {
    name: "termination_date",
    label: "Termination date",
    aliases: ["termination date", "last day", "last_day", "last working day"],
  },
  { name: "reason", label: "Termination reason", aliases: ["termination reason", "termination_reason"] },
];

/**
 * The header names of common HR systems' worker exports, as built-in mappings (`--mapping Workday`). Saving a
 * mapping of the same name on the import page replaces the preset for your organisation.
 */
export const HR_PEOPLE_PRESETS: Readonly<Record<string, ColumnMapping>> = {
  Workday: {
    employee_number: "Employee ID",
    email: "Primary Work Email",
    name: "Worker",
    title: "Business Title",
    department: "Supervisory Organization",
    manager: "Manager Employee ID",
    status: "Worker Status",
    termination_date: "Termination Date",
    reason: "Primary Termination Reason",
  },
  BambooHR: {
    employee_number: "Employee #",
    email: "Work Email",
    first_name: "First Name",
    last_name: "Last Name",
    title: "Job Title",
    department: "Department",
    manager: "Supervisor EID",
    status: "Status",
    termination_date: "Termination Date",
    reason: "Termination Reason",
  },
  Personio: {
    employee_number: "ID",
    email: "Email",
    first_name: "First name",
    last_name: "Last name",
    title: "Position",
    department: "Department",
    manager: "Supervisor email",
    status: "Status",
    termination_date: "Termination date",
    reason: "Termination reason",
  },
};

/** Status words of HR exports: the ones that mean the person has left (or is leaving). Empty = active. */
const LEAVING = new Set(["terminated", "inactive", "leaver", "left", "former", "offboarded", "separated"]);
const STAYING = new Set(["active", "on leave", "leave", "onboarding", "pending", "hired", "employed", "current"]);

/** "leaving" | "staying" for a status cell, null for a word we do not know. */
export function statusOf(value: string): "leaving" | "staying" | null {
  const v = value.trim().toLowerCase().replace(/_/g, " ");
  if (!v || STAYING.has(v)) return "staying";
  return LEAVING.has(v) ? "leaving" : null;
}
