import { consoleRole } from "@/db/schema/enums";

export const ROLES = consoleRole.enumValues;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  analyst: "IAM analyst",
  manager: "Manager",
  approver: "Security approver",
  executive: "Executive",
  admin: "Administrator",
};
