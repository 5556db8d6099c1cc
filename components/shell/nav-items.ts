import type { Permission } from "@/lib/authz/permissions";

export type NavItem = { href: string; label: string; permission: Permission; icon: string };

/** The console's areas, each shown only to roles holding its permission. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", permission: "dashboard.view", icon: "gauge" },
  { href: "/people", label: "People", permission: "people.read", icon: "users" },
  { href: "/leavers", label: "Leavers", permission: "leavers.read", icon: "user-minus" },
  { href: "/factors", label: "Factors", permission: "factors.aggregate", icon: "key-round" },
  { href: "/api-scopes", label: "API scopes", permission: "api_scopes.read", icon: "braces" },
  { href: "/reviews", label: "Access reviews", permission: "reviews.read", icon: "list-checks" },
  { href: "/break-glass", label: "Break-glass", permission: "break_glass.request", icon: "siren" },
  { href: "/audit", label: "Audit", permission: "audit.read", icon: "scroll-text" },
  { href: "/systems", label: "Systems", permission: "systems.read", icon: "server" },
];
