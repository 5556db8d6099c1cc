/**
 * Tidewater Systems' organisation: three divisions, eleven departments and (at large scale) 136 teams.
 * A department's "family" drives everything that differs between departments: which systems people use,
 * how strong their factors are, how many tokens they hold.
 */
export type Family =
  | "leadership"
  | "engineering"
  | "security"
  | "it"
  | "data"
  | "sales"
  | "support"
  | "marketing"
  | "finance"
  | "people"
  | "legal"
  | "facilities";

export const FAMILIES: readonly Family[] = [
  "leadership",
  "engineering",
  "security",
  "it",
  "data",
  "sales",
  "support",
  "marketing",
  "finance",
  "people",
  "legal",
  "facilities",
];

export type Division = { code: string; name: string };
export const DIVISIONS: readonly Division[] = [
  { code: "TECH", name: "Technology" },
  { code: "REV", name: "Revenue" },
  { code: "CORP", name: "Corporate" },
];

export type Department = {
  code: string;
  name: string;
  division: string;
  family: Family;
  /** Share of the headcount (relative weight). */
  weight: number;
  /** Teams at large scale; the department is the leaf at demo scale. */
  teams: readonly string[];
};

export const DEPARTMENTS: readonly Department[] = [
  {
    code: "ENG",
    name: "Engineering",
    division: "TECH",
    family: "engineering",
    weight: 25,
    teams: [
      "Platform",
      "Payments",
      "Checkout",
      "Billing",
      "Identity",
      "Mobile iOS",
      "Mobile Android",
      "Web Frontend",
      "Design Systems",
      "Search",
      "Recommendations",
      "Growth",
      "Notifications",
      "Integrations",
      "Public API",
      "Partner API",
      "Infrastructure",
      "Site Reliability",
      "Developer Experience",
      "Build & Release",
      "Observability",
      "Storage",
      "Networking",
      "Compute",
      "Core Services",
      "Fraud",
      "Ledger",
      "Pricing",
      "Catalog",
      "Orders",
      "Fulfilment",
      "Customer Lookup",
      "Messaging",
      "ML Platform",
      "Quality",
      "Internal Tools",
    ],
  },
  {
    code: "SEC",
    name: "Security",
    division: "TECH",
    family: "security",
    weight: 4,
    teams: [
      "Security Operations",
      "Identity & Access Management",
      "Product Security",
      "GRC",
      "Threat Intelligence",
      "Security Engineering",
    ],
  },
  {
    code: "IT",
    name: "IT",
    division: "TECH",
    family: "it",
    weight: 5,
    teams: [
      "Service Desk",
      "Endpoint Management",
      "Collaboration Tools",
      "Network",
      "Corporate Systems",
      "Asset Management",
      "Identity Platform",
    ],
  },
  {
    code: "DATA",
    name: "Data & Analytics",
    division: "TECH",
    family: "data",
    weight: 6,
    teams: [
      "Analytics Engineering",
      "Data Platform",
      "Data Science",
      "Business Intelligence",
      "Data Governance",
      "Machine Learning",
      "Experimentation",
      "Data Integration",
      "Reporting",
    ],
  },
  {
    code: "SALES",
    name: "Sales",
    division: "REV",
    family: "sales",
    weight: 18,
    teams: [
      "Enterprise East",
      "Enterprise West",
      "Enterprise Central",
      "Mid-Market East",
      "Mid-Market West",
      "Commercial",
      "EMEA North",
      "EMEA South",
      "EMEA Central",
      "UK & Ireland",
      "DACH",
      "France",
      "Nordics",
      "Benelux",
      "Iberia",
      "ANZ",
      "Japan",
      "Singapore",
      "LATAM",
      "Public Sector",
      "Partnerships",
      "Sales Development",
      "Sales Engineering",
      "Sales Operations",
      "Renewals",
      "Strategic Accounts",
    ],
  },
  {
    code: "SUP",
    name: "Customer Support",
    division: "REV",
    family: "support",
    weight: 14,
    teams: [
      "Tier 1 Americas",
      "Tier 1 EMEA",
      "Tier 1 APAC",
      "Tier 2 Americas",
      "Tier 2 EMEA",
      "Tier 2 APAC",
      "Technical Support",
      "Billing Support",
      "Enterprise Support",
      "Onboarding",
      "Customer Success East",
      "Customer Success West",
      "Customer Success EMEA",
      "Support Operations",
      "Knowledge & Training",
      "Trust & Safety",
      "Escalations",
      "Community",
      "Premium Support",
      "Quality Assurance",
    ],
  },
  {
    code: "MKT",
    name: "Marketing",
    division: "REV",
    family: "marketing",
    weight: 6,
    teams: [
      "Brand",
      "Demand Generation",
      "Product Marketing",
      "Content",
      "Events",
      "Marketing Operations",
      "Communications",
      "Web Marketing",
      "Field Marketing",
    ],
  },
  {
    code: "FIN",
    name: "Finance",
    division: "CORP",
    family: "finance",
    weight: 5,
    teams: ["Accounting", "FP&A", "Treasury", "Procurement", "Tax", "Payroll", "Internal Audit"],
  },
  {
    code: "PPL",
    name: "People",
    division: "CORP",
    family: "people",
    weight: 4,
    teams: [
      "Talent Acquisition",
      "People Operations",
      "Total Rewards",
      "Learning & Development",
      "People Partners",
      "Workplace Experience",
    ],
  },
  {
    code: "LEGAL",
    name: "Legal",
    division: "CORP",
    family: "legal",
    weight: 2,
    teams: ["Commercial Legal", "Privacy", "Compliance"],
  },
  {
    code: "FAC",
    name: "Facilities",
    division: "CORP",
    family: "facilities",
    weight: 5,
    teams: [
      "Boston Campus",
      "London Office",
      "Austin Office",
      "Lisbon Office",
      "Singapore Office",
      "Security & Reception",
      "Mailroom & Logistics",
    ],
  },
];

export const LOCATIONS: readonly (readonly [string, number])[] = [
  ["Boston, MA", 26],
  ["Austin, TX", 16],
  ["New York, NY", 10],
  ["London, UK", 14],
  ["Lisbon, PT", 8],
  ["Berlin, DE", 5],
  ["Singapore", 6],
  ["Sydney, AU", 3],
  ["Remote (US)", 9],
  ["Remote (EU)", 3],
];

/** Titles by family: individual contributors, then people managers. */
export const TITLES: Record<Family, { ic: readonly string[]; mgr: readonly string[] }> = {
  leadership: { ic: ["Chief of Staff", "Executive Assistant"], mgr: ["Vice President"] },
  engineering: {
    ic: [
      "Software Engineer",
      "Software Engineer II",
      "Senior Software Engineer",
      "Staff Engineer",
      "Site Reliability Engineer",
      "QA Engineer",
      "Principal Engineer",
    ],
    mgr: ["Engineering Manager", "Senior Engineering Manager", "Director of Engineering"],
  },
  security: {
    ic: [
      "Security Engineer",
      "Security Analyst",
      "Senior Security Engineer",
      "IAM Engineer",
      "GRC Analyst",
      "Detection Engineer",
    ],
    mgr: ["Security Manager", "Director, Security"],
  },
  it: {
    ic: ["IT Support Specialist", "Systems Administrator", "Endpoint Engineer", "Network Engineer", "IT Analyst"],
    mgr: ["IT Manager", "IT Operations Manager"],
  },
  data: {
    ic: ["Data Analyst", "Data Engineer", "Analytics Engineer", "Data Scientist", "ML Engineer", "BI Developer"],
    mgr: ["Data Engineering Manager", "Analytics Manager"],
  },
  sales: {
    ic: [
      "Account Executive",
      "Senior Account Executive",
      "Sales Development Representative",
      "Sales Engineer",
      "Account Manager",
      "Sales Operations Analyst",
    ],
    mgr: ["Sales Manager", "Regional Sales Director"],
  },
  support: {
    ic: [
      "Support Specialist",
      "Senior Support Specialist",
      "Technical Support Engineer",
      "Customer Success Manager",
      "Support Agent",
    ],
    mgr: ["Support Team Lead", "Support Manager"],
  },
  marketing: {
    ic: [
      "Marketing Specialist",
      "Content Strategist",
      "Product Marketing Manager",
      "Marketing Operations Analyst",
      "Designer",
    ],
    mgr: ["Marketing Manager", "Director of Marketing"],
  },
  finance: {
    ic: [
      "Accountant",
      "Financial Analyst",
      "Senior Accountant",
      "Payroll Specialist",
      "Procurement Specialist",
      "Tax Analyst",
    ],
    mgr: ["Controller", "Finance Manager"],
  },
  people: {
    ic: ["Recruiter", "People Partner", "HR Generalist", "Compensation Analyst", "L&D Specialist"],
    mgr: ["Talent Acquisition Manager", "People Operations Manager"],
  },
  legal: {
    ic: ["Counsel", "Paralegal", "Privacy Analyst", "Compliance Analyst"],
    mgr: ["Senior Counsel", "Compliance Manager"],
  },
  facilities: {
    ic: ["Facilities Coordinator", "Receptionist", "Security Officer", "Workplace Technician", "Logistics Coordinator"],
    mgr: ["Facilities Manager", "Office Manager"],
  },
};
