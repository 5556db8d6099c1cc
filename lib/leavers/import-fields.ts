import type { ColumnMapping, MappingField } from "@/lib/imports/mapping";

/** The fields of an HR leaver file (kind `hr_leavers`); headers named so (or an alias) need no mapping. */
export const HR_LEAVER_FIELDS: readonly MappingField[] = [
  {
    name: "employee_number",
    label: "Employee number",
    oneOf: "Employee number or Email",
    aliases: ["employee number", "employee no", "employee no.", "employee_id", "employee id"],
  },
  { name: "email", label: "Email", oneOf: "Employee number or Email", aliases: ["work email"] },
  { name: "reason", label: "Reason", required: true },
  {
    name: "effective_at",
    label: "Effective time",
    oneOf: "Effective time or Last day",
    aliases: ["effective at", "effective time", "effective"],
  },
  {
    name: "last_day",
    label: "Last day",
    oneOf: "Effective time or Last day",
    aliases: ["last day", "last working day", "termination_date"],
  },
];

/**
 * The header names of common HR systems' termination exports, as built-in mappings (choose one on the import page
 * or with `--mapping Workday`). Saving a mapping of the same name replaces the preset for your organisation.
 */
export const HR_PRESETS: Readonly<Record<string, ColumnMapping>> = {
  Workday: {
    employee_number: "Employee ID",
    email: "Primary Work Email",
    reason: "Primary Termination Reason",
    last_day: "Termination Date",
  },
  BambooHR: {
    employee_number: "Employee #",
    email: "Work Email",
    reason: "Termination Reason",
    last_day: "Termination Date",
  },
  Personio: { employee_number: "ID", email: "Email", reason: "Termination reason", last_day: "Termination date" },
};
