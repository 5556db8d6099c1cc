import type { Role } from "./roles";

/**
 * Every permission the product checks. Pages, server actions and route handlers name one of these;
 * the matrix below is the only place that says who holds it.
 */
export const PERMISSIONS = [
  "dashboard.view",
  "people.read",
  "people.export",
  "leavers.read",
  "leavers.manage",
  "leavers.handover",
  "remediation.manage",
  "remediation.waive",
  "factors.aggregate",
  "factors.people",
  "api_scopes.read",
  "api_scopes.manage",
  "imports.run",
  "reviews.read",
  "reviews.decide",
  "reviews.manage",
  "break_glass.request",
  "break_glass.read",
  "break_glass.approve",
  "audit.read",
  "systems.read",
  "systems.manage",
  "policies.manage",
  "roles.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  analyst: [
    "dashboard.view",
    "people.read",
    "people.export",
    "leavers.read",
    "leavers.manage",
    "leavers.handover",
    "remediation.manage",
    "factors.aggregate",
    "factors.people",
    "api_scopes.read",
    "api_scopes.manage",
    // The gate to the import pipeline's endpoints; every run also needs its kind's own permission.
    "imports.run",
    "reviews.read",
    "reviews.decide",
    "reviews.manage",
    "break_glass.request",
    "break_glass.read",
    "audit.read",
    "systems.read",
  ],
  // Managers act on their own reports and what their team owns (data scoping in ./scope.ts).
  manager: [
    "dashboard.view",
    "people.read",
    "leavers.read",
    "leavers.handover",
    "factors.aggregate",
    "api_scopes.read",
    "reviews.read",
    "reviews.decide",
    "break_glass.request",
  ],
  approver: ["dashboard.view", "break_glass.request", "break_glass.read", "break_glass.approve"],
  // Executives see aggregates only: no permission here returns a person's record.
  executive: ["dashboard.view", "factors.aggregate"],
  // Administrators hold everything except approving break-glass: two-person control stays with approvers.
  admin: ALL.filter((p) => p !== "break_glass.approve"),
};
