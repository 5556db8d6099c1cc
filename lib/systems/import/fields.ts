import type { MappingField } from "@/lib/imports/mapping";

/** The columns of an account file (kind `accounts_csv`), by field; headers named so need no mapping. */
export const ACCOUNT_FIELDS: readonly MappingField[] = [
  {
    name: "login",
    label: "Account name / login",
    required: true,
    aliases: ["username", "user name", "user", "account", "account name", "login name", "samaccountname", "uid"],
  },
  { name: "email", label: "Email", aliases: ["mail", "work email", "email address", "e-mail"] },
  {
    name: "employee_number",
    label: "Employee number",
    aliases: ["employee id", "employee number", "employeenumber", "employee #", "employee no"],
  },
  { name: "external_id", label: "Account id at the system", aliases: ["id", "external id", "account id"] },
  { name: "status", label: "Status", aliases: ["account status", "state", "enabled"] },
  {
    name: "entitlement",
    label: "Entitlement(s) / group",
    aliases: ["entitlements", "group", "groups", "role", "roles", "permission", "permissions", "member of"],
  },
  { name: "privileged", label: "Privileged", aliases: ["is privileged", "admin", "is admin"] },
];

const STATUSES: Record<string, "active" | "disabled" | "deleted"> = {
  "": "active",
  active: "active",
  enabled: "active",
  true: "active",
  yes: "active",
  "1": "active",
  disabled: "disabled",
  inactive: "disabled",
  suspended: "disabled",
  locked: "disabled",
  false: "disabled",
  no: "disabled",
  "0": "disabled",
  deleted: "deleted",
  removed: "deleted",
  deprovisioned: "deleted",
};
const FLAGS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  "1": true,
  x: true,
  privileged: true,
  admin: true,
  false: false,
  no: false,
  n: false,
  "0": false,
};

export const accountStatusOf = (v: string) => STATUSES[v.trim().toLowerCase()];
/** A yes/no cell: true/false, or undefined when it is neither (an error); an empty cell is null (not said). */
export const flagOf = (v: string | undefined): boolean | null | undefined =>
  !v?.trim() ? null : FLAGS[v.trim().toLowerCase()];
/** Several entitlements in one cell are separated by `;` or `|`. */
export const entitlementsOf = (v: string | undefined) => [
  ...new Set(
    (v ?? "")
      .split(/[;|]/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];
