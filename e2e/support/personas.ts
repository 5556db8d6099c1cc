/** The demo console users the journeys sign in as, with what each must (and must not) see. */
export const ALL_AREAS = [
  "Dashboard",
  "People",
  "Leavers",
  "Factors",
  "API scopes",
  "Access reviews",
  "Break-glass",
  "Audit",
  "Systems",
] as const;
export type Area = (typeof ALL_AREAS)[number];

export const AREA_PATHS: Record<Area, string> = {
  Dashboard: "/dashboard",
  People: "/people",
  Leavers: "/leavers",
  Factors: "/factors",
  "API scopes": "/api-scopes",
  "Access reviews": "/reviews",
  "Break-glass": "/break-glass",
  Audit: "/audit",
  Systems: "/systems",
};

export type Persona = { key: PersonaKey; name: string; email: string; roleLabel: string; nav: readonly Area[] };
export type PersonaKey = "analyst" | "manager" | "approver" | "executive" | "admin";

export const PERSONAS: Record<PersonaKey, Persona> = {
  analyst: {
    key: "analyst",
    name: "Avery Chen",
    email: "avery.chen@tidewater.example",
    roleLabel: "IAM analyst",
    nav: ALL_AREAS,
  },
  manager: {
    key: "manager",
    name: "Maya Patel",
    email: "maya.patel@tidewater.example",
    roleLabel: "Manager",
    nav: ["Dashboard", "People", "Leavers", "Factors", "API scopes", "Access reviews", "Break-glass"],
  },
  approver: {
    key: "approver",
    name: "Sam Rivera",
    email: "sam.rivera@tidewater.example",
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
    nav: ALL_AREAS,
  },
};

/** Areas a persona must be refused (403). */
export const forbiddenAreas = (p: Persona): Area[] => ALL_AREAS.filter((a) => !p.nav.includes(a));
