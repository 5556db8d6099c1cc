import type { Role } from "@/lib/authz/roles";

/**
 * The fixed cast of the demo, present at every scale. Personas come first so they have the lowest ids.
 * `dept` is a department code (or a division code for the executives who run one).
 */
export type StoryPerson = {
  key: string;
  first: string;
  last: string;
  dept: string;
  manager: string | null;
  title: string;
  roles?: Role[];
  employment?: "employee" | "contractor" | "intern" | "vendor";
  location: string;
  hiredYearsAgo: number;
  /** Story leavers; their cases are shaped in leavers.ts. */
  status?: "leaver" | "disabled";
};

export const STORY_PEOPLE: readonly StoryPerson[] = [
  // Personas (console users of the demo), ids 1–10.
  { key: "avery", first: "Avery", last: "Chen", dept: "SEC", manager: "grace", title: "IAM Analyst", roles: ["analyst"], location: "Boston, MA", hiredYearsAgo: 2.4 },
  { key: "jordan", first: "Jordan", last: "Okafor", dept: "SEC", manager: "grace", title: "Senior IAM Analyst", roles: ["analyst"], location: "London, UK", hiredYearsAgo: 4.1 },
  { key: "maya", first: "Maya", last: "Patel", dept: "ENG", manager: "tobias", title: "Engineering Manager, Payments Platform", roles: ["manager"], location: "Boston, MA", hiredYearsAgo: 5.2 },
  { key: "luis", first: "Luis", last: "Romero", dept: "SALES", manager: "victor", title: "Regional Sales Manager, West", roles: ["manager"], location: "Austin, TX", hiredYearsAgo: 3.6 },
  { key: "sam", first: "Sam", last: "Rivera", dept: "SEC", manager: "elena", title: "Security Engineering Manager", roles: ["approver"], location: "Boston, MA", hiredYearsAgo: 6.3 },
  { key: "noor", first: "Noor", last: "Haddad", dept: "IT", manager: "ken", title: "IT Operations Lead", roles: ["approver"], location: "London, UK", hiredYearsAgo: 3.9 },
  { key: "grace", first: "Grace", last: "Kim", dept: "SEC", manager: "elena", title: "Director, Security Operations", roles: ["approver"], location: "Austin, TX", hiredYearsAgo: 7.5 },
  { key: "elena", first: "Elena", last: "Rossi", dept: "SEC", manager: "hannah", title: "Chief Information Security Officer", roles: ["executive"], location: "Boston, MA", hiredYearsAgo: 4.8 },
  { key: "david", first: "David", last: "Mensah", dept: "FIN", manager: "hannah", title: "Chief Financial Officer", roles: ["executive"], location: "New York, NY", hiredYearsAgo: 3.2 },
  { key: "priya", first: "Priya", last: "Nair", dept: "IT", manager: "ken", title: "IAM Platform Administrator", roles: ["admin"], location: "Boston, MA", hiredYearsAgo: 5.7 },

  // Leadership: the CEO, division heads and department heads (generated people report up to them).
  { key: "hannah", first: "Hannah", last: "Whitfield", dept: "CORP", manager: null, title: "Chief Executive Officer", location: "Boston, MA", hiredYearsAgo: 11.0 },
  { key: "marcus", first: "Marcus", last: "Feld", dept: "TECH", manager: "hannah", title: "Chief Technology Officer", location: "Boston, MA", hiredYearsAgo: 9.1 },
  { key: "olivia", first: "Olivia", last: "Brandt", dept: "REV", manager: "hannah", title: "Chief Revenue Officer", location: "New York, NY", hiredYearsAgo: 6.0 },
  { key: "rebecca", first: "Rebecca", last: "Lin", dept: "CORP", manager: "hannah", title: "Chief Operating Officer", location: "Boston, MA", hiredYearsAgo: 8.4 },
  { key: "tobias", first: "Tobias", last: "Kerr", dept: "ENG", manager: "marcus", title: "VP Engineering", location: "Boston, MA", hiredYearsAgo: 7.7 },
  { key: "ken", first: "Ken", last: "Ito", dept: "IT", manager: "marcus", title: "Director of IT", location: "Austin, TX", hiredYearsAgo: 6.8 },
  { key: "ama", first: "Ama", last: "Owusu", dept: "DATA", manager: "marcus", title: "Head of Data & Analytics", location: "London, UK", hiredYearsAgo: 4.4 },
  { key: "victor", first: "Victor", last: "Hale", dept: "SALES", manager: "olivia", title: "VP Sales", location: "New York, NY", hiredYearsAgo: 5.5 },
  { key: "mei", first: "Mei", last: "Suzuki", dept: "SUP", manager: "olivia", title: "VP Customer Support", location: "Austin, TX", hiredYearsAgo: 6.1 },
  { key: "julia", first: "Julia", last: "Novak", dept: "MKT", manager: "olivia", title: "VP Marketing", location: "Berlin, DE", hiredYearsAgo: 3.3 },
  { key: "nadia", first: "Nadia", last: "Rahman", dept: "PPL", manager: "rebecca", title: "Chief People Officer", location: "Boston, MA", hiredYearsAgo: 5.0 },
  { key: "oscar", first: "Oscar", last: "Lindgren", dept: "LEGAL", manager: "rebecca", title: "General Counsel", location: "Boston, MA", hiredYearsAgo: 4.6 },
  { key: "frank", first: "Frank", last: "Delgado", dept: "FAC", manager: "rebecca", title: "Director of Facilities", location: "Boston, MA", hiredYearsAgo: 9.9 },

  // Maya's team: owners of bots and tokens; Ravi is the leaver with an open case.
  { key: "daniel", first: "Daniel", last: "Brooks", dept: "ENG", manager: "maya", title: "Senior Software Engineer", location: "Boston, MA", hiredYearsAgo: 4.2 },
  { key: "aisha", first: "Aisha", last: "Bello", dept: "ENG", manager: "maya", title: "Staff Engineer", location: "Boston, MA", hiredYearsAgo: 6.0 },
  { key: "ravi", first: "Ravi", last: "Menon", dept: "ENG", manager: "maya", title: "Senior Software Engineer", location: "Remote (US)", hiredYearsAgo: 3.1, status: "leaver" },
  { key: "lena", first: "Lena", last: "Fischer", dept: "ENG", manager: "maya", title: "Software Engineer", location: "Berlin, DE", hiredYearsAgo: 1.8 },
  { key: "tom", first: "Tom", last: "Nguyen", dept: "ENG", manager: "maya", title: "Software Engineer", location: "Austin, TX", hiredYearsAgo: 1.2 },
  { key: "carlos", first: "Carlos", last: "Mendes", dept: "ENG", manager: "maya", title: "Site Reliability Engineer", location: "Lisbon, PT", hiredYearsAgo: 2.9 },
  { key: "hiro", first: "Hiro", last: "Tanaka", dept: "ENG", manager: "maya", title: "Software Engineer II", location: "Boston, MA", hiredYearsAgo: 2.2 },
  { key: "sofia", first: "Sofia", last: "Russo", dept: "ENG", manager: "maya", title: "Software Engineer (Contract)", employment: "contractor", location: "Remote (EU)", hiredYearsAgo: 0.7 },

  // Luis's team in Sales, where SMS is still common; Chloe is leaving this week.
  { key: "ben", first: "Ben", last: "Carter", dept: "SALES", manager: "luis", title: "Account Executive", location: "Austin, TX", hiredYearsAgo: 2.5 },
  { key: "chloe", first: "Chloe", last: "Martin", dept: "SALES", manager: "luis", title: "Senior Account Executive", location: "Austin, TX", hiredYearsAgo: 3.4, status: "leaver" },
  { key: "diego", first: "Diego", last: "Alvarez", dept: "SALES", manager: "luis", title: "Sales Development Representative", location: "Austin, TX", hiredYearsAgo: 0.9 },
  { key: "emma", first: "Emma", last: "Wilson", dept: "SALES", manager: "luis", title: "Account Executive", location: "New York, NY", hiredYearsAgo: 1.6 },
  { key: "fatima", first: "Fatima", last: "Zahra", dept: "SALES", manager: "luis", title: "Sales Engineer", location: "New York, NY", hiredYearsAgo: 2.1 },
  { key: "george", first: "George", last: "Evans", dept: "SALES", manager: "luis", title: "Account Executive", location: "Austin, TX", hiredYearsAgo: 4.0 },

  // Other story people.
  { key: "felix", first: "Felix", last: "Wagner", dept: "SEC", manager: "grace", title: "Security Engineer", location: "Berlin, DE", hiredYearsAgo: 2.7 },
  { key: "ingrid", first: "Ingrid", last: "Holm", dept: "MKT", manager: "julia", title: "Marketing Manager", location: "London, UK", hiredYearsAgo: 3.8, status: "disabled" },
  { key: "kofi", first: "Kofi", last: "Asante", dept: "FIN", manager: "david", title: "Financial Analyst (Contract)", employment: "contractor", location: "New York, NY", hiredYearsAgo: 1.1, status: "disabled" },
  { key: "paula", first: "Paula", last: "Reyes", dept: "SUP", manager: "mei", title: "Support Specialist", location: "Austin, TX", hiredYearsAgo: 2.3, status: "leaver" },
];

/** Non-human identities of the story, each owned by a story person (or nobody). */
export type StoryNhi = {
  key: string;
  kind: "service_account" | "api_client" | "ai_agent";
  name: string;
  owner: string | null;
  dept: string;
  title: string;
};

export const STORY_NHIS: readonly StoryNhi[] = [
  { key: "ci_deploy_bot", kind: "service_account", name: "ci-deploy-bot", owner: "daniel", dept: "ENG", title: "CI deployment service account" },
  { key: "code_review_agent", kind: "ai_agent", name: "code-review-assistant", owner: "aisha", dept: "ENG", title: "AI agent: pull-request review" },
  { key: "svc_customer_export", kind: "service_account", name: "svc-customer-export", owner: "ravi", dept: "ENG", title: "Nightly customer export to the warehouse" },
  { key: "lookup_sync_client", kind: "api_client", name: "lookup-sync-client", owner: "ravi", dept: "ENG", title: "Customer lookup sync (partner CRM)" },
  { key: "status_page_client", kind: "api_client", name: "status-page-client", owner: "lena", dept: "ENG", title: "Public status page poller" },
  { key: "legacy_reporting", kind: "service_account", name: "legacy-reporting-svc", owner: null, dept: "DATA", title: "Legacy reporting job (owner unknown)" },
  { key: "support_triage_agent", kind: "ai_agent", name: "support-triage-agent", owner: "mei", dept: "SUP", title: "AI agent: ticket triage and summaries" },
];

/** Tidewater Systems: the organisation every seeded address belongs to. */
export const EMAIL_DOMAIN = "tidewater.example";

/** Who heads each department (the generated people of a department report up to them). */
export const DEPARTMENT_HEADS: Record<string, string> = {
  ENG: "tobias", SEC: "elena", IT: "ken", DATA: "ama", SALES: "victor", SUP: "mei", MKT: "julia",
  FIN: "david", PPL: "nadia", LEGAL: "oscar", FAC: "frank",
};

/** The Customer Support restructuring (a layoff imported from Workday as one batch) happened this long ago. */
export const LAYOFF_DAYS_AGO = 2.125;
