import type { Permission } from "@/lib/authz/permissions";

export type NavItem = {
  href: string;
  label: string;
  permission: Permission;
  icon: string;
  /** Hidden from whoever holds this permission too (they reach the page from a fuller item). */
  unless?: Permission;
};

/** The console's areas, each shown only to roles holding its permission. */
const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", permission: "dashboard.view", icon: "gauge" },
  { href: "/people", label: "People", permission: "people.read", icon: "users" },
  { href: "/leavers", label: "Leavers", permission: "leavers.read", icon: "user-minus" },
  { href: "/factors", label: "Factors", permission: "factors.aggregate", icon: "key-round" },
  { href: "/api-scopes", label: "API scopes", permission: "api_scopes.read", icon: "braces" },
  // People who run campaigns see them all (their own inbox is one click away); reviewers go straight to theirs.
  { href: "/reviews", label: "Access reviews", permission: "reviews.manage", icon: "list-checks" },
  {
    href: "/reviews/inbox",
    label: "My reviews",
    permission: "reviews.decide",
    unless: "reviews.manage",
    icon: "list-checks",
  },
  { href: "/break-glass", label: "Break-glass", permission: "break_glass.request", icon: "siren" },
  { href: "/audit", label: "Audit", permission: "audit.read", icon: "scroll-text" },
  { href: "/systems", label: "Systems", permission: "systems.read", icon: "server" },
  { href: "/imports", label: "Imports", permission: "imports.run", icon: "file-up" },
  { href: "/settings", label: "Settings", permission: "policies.manage", icon: "settings" },
];

/** The items a viewer sees, given what they may do. */
export const navFor = (can: (p: Permission) => boolean): NavItem[] =>
  NAV_ITEMS.filter((item) => can(item.permission) && !(item.unless && can(item.unless)));
