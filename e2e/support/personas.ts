/** The demo console users the journeys sign in as, with what each must (and must not) see. */
export const ALL_AREAS = [
  "Dashboard",
  "People",
  "Leavers",
  "Factors",
  "API scopes",
  "Access reviews",
  "My reviews",
  "Break-glass",
  "Audit",
  "Systems",
  "Imports",
  "Settings",
] as const;
export type Area = (typeof ALL_AREAS)[number];

export const AREA_PATHS: Record<Area, string> = {
  Dashboard: "/dashboard",
  People: "/people",
  Leavers: "/leavers",
  Factors: "/factors",
  "API scopes": "/api-scopes",
  "Access reviews": "/reviews",
  "My reviews": "/reviews/inbox",
  "Break-glass": "/break-glass",
  Audit: "/audit",
  Systems: "/systems",
  Imports: "/imports",
  Settings: "/settings",
};

export type Persona = {
  key: PersonaKey;
  name: string;
  email: string;
  roleLabel: string;
  nav: readonly Area[];
  /** Areas the persona may open without a navigation entry of their own (reached from another page). */
  alsoOpens?: readonly Area[];
  /** Areas that send the persona elsewhere (the path they land on) instead of refusing them. */
  redirects?: Partial<Record<Area, string>>;
};

/** Analysts and admins run campaigns ("Access reviews") and reach their own inbox from there. */
const RUNS_CAMPAIGNS = ALL_AREAS.filter((a) => a !== "My reviews" && a !== "Settings");
export type PersonaKey = "analyst" | "manager" | "approver" | "approver2" | "executive" | "admin";

export const PERSONAS: Record<PersonaKey, Persona> = {
  analyst: {
    key: "analyst",
    name: "Avery Chen",
    email: "avery.chen@tidewater.example",
    roleLabel: "IAM analyst",
    nav: RUNS_CAMPAIGNS,
    alsoOpens: ["My reviews"],
  },
  manager: {
    key: "manager",
    name: "Maya Patel",
    email: "maya.patel@tidewater.example",
    roleLabel: "Manager",
    nav: ["Dashboard", "People", "Leavers", "Factors", "API scopes", "My reviews", "Break-glass"],
    // Reviewers who do not run campaigns land on their own inbox.
    redirects: { "Access reviews": "/reviews/inbox" },
  },
  approver: {
    key: "approver",
    name: "Sam Rivera",
    email: "sam.rivera@tidewater.example",
    roleLabel: "Security approver",
    nav: ["Dashboard", "Break-glass"],
  },
  // The second of two approvers break-glass needs (the journey in break-glass-flow.spec.ts).
  approver2: {
    key: "approver2",
    name: "Noor Haddad",
    email: "noor.haddad@tidewater.example",
    roleLabel: "Security approver",
    nav: ["Dashboard", "Break-glass"],
  },
  executive: {
    key: "executive",
    name: "Elena Rossi",
    email: "elena.rossi@tidewater.example",
    roleLabel: "Executive",
    nav: ["Dashboard", "Factors"],
  },
  admin: {
    key: "admin",
    name: "Priya Nair",
    email: "priya.nair@tidewater.example",
    roleLabel: "Administrator",
    nav: [...RUNS_CAMPAIGNS, "Settings"],
    alsoOpens: ["My reviews"],
  },
};

/** Areas a persona must be refused (403). */
export const forbiddenAreas = (p: Persona): Area[] =>
  ALL_AREAS.filter((a) => !p.nav.includes(a) && !p.alsoOpens?.includes(a) && !p.redirects?.[a]);
