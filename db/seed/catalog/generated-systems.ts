import type { Family } from "./org";
import type { EndpointDef, SystemDef } from "./systems";

/**
 * The long tail of a large organisation (large scale only): SaaS tools per department and internal services
 * per business domain, each with entitlements, and APIs with endpoints. Built by rule so 360 systems need
 * no hand-written rows; the order is fixed, so the same systems come out every time.
 */
const SAAS: Record<Exclude<Family, "leadership">, readonly string[]> = {
  engineering: [
    "LaunchDarkly",
    "New Relic",
    "Grafana Cloud",
    "Postman",
    "Vercel",
    "Netlify",
    "Heroku",
    "MongoDB Atlas",
    "Redis Cloud",
    "Confluent Cloud",
    "Cloudflare",
    "Fastly",
    "Docker Hub",
    "JFrog Artifactory",
    "SonarCloud",
    "Snyk",
    "BrowserStack",
    "Buildkite",
    "Linear",
  ],
  security: [
    "CrowdStrike Falcon",
    "Wiz",
    "1Password Business",
    "Splunk Cloud",
    "Tines",
    "KnowBe4",
    "Vanta",
    "Abnormal Security",
    "Tenable",
    "Proofpoint",
  ],
  it: [
    "Kandji",
    "Lucidchart",
    "Calendly",
    "Dropbox",
    "Miro",
    "Loom",
    "Notion",
    "Asana",
    "Smartsheet",
    "Airtable",
    "Monday.com",
    "TeamViewer",
  ],
  data: ["dbt Cloud", "Fivetran", "Segment", "Amplitude", "Mixpanel", "Looker", "Mode", "Databricks", "Hex", "Census"],
  sales: [
    "Outreach",
    "Salesloft",
    "ZoomInfo",
    "LinkedIn Sales Navigator",
    "Clari",
    "Highspot",
    "Seismic",
    "PandaDoc",
    "Chorus",
    "Vidyard",
  ],
  support: [
    "Intercom",
    "Gainsight",
    "Statuspage",
    "Aircall",
    "Talkdesk",
    "Guru",
    "Loopio",
    "Medallia",
    "Front",
    "Klaus",
  ],
  marketing: [
    "Marketo",
    "Canva",
    "Sprout Social",
    "Hootsuite",
    "Contentful",
    "WordPress VIP",
    "Webflow",
    "Cvent",
    "Semrush",
    "Unbounce",
  ],
  finance: ["Coupa", "Bill.com", "Brex", "Ramp", "Avalara", "Carta", "Anaplan", "BlackLine", "Navan", "Tipalti"],
  people: ["Lattice", "Culture Amp", "Checkr", "Docebo", "Deel", "Guideline", "HireRight", "Leapsome"],
  legal: ["Ironclad", "Clio", "OneTrust", "Relativity", "LinkSquares"],
  facilities: ["Envoy", "Robin", "Verkada", "Brivo", "OfficeSpace"],
};

type Domain = { name: string; res: string; classes: EndpointDef["classes"]; family: Family };
const DOMAINS: readonly Domain[] = [
  { name: "Billing", res: "bills", classes: ["financial", "pii"], family: "engineering" },
  { name: "Payments", res: "payments", classes: ["financial"], family: "engineering" },
  { name: "Orders", res: "orders", classes: ["pii", "financial"], family: "engineering" },
  { name: "Inventory", res: "items", classes: ["internal"], family: "engineering" },
  { name: "Shipping", res: "shipments", classes: ["pii"], family: "engineering" },
  { name: "Catalog", res: "products", classes: ["internal"], family: "engineering" },
  { name: "Pricing", res: "prices", classes: ["internal"], family: "engineering" },
  { name: "Loyalty", res: "members", classes: ["pii"], family: "marketing" },
  { name: "Notifications", res: "messages", classes: ["pii"], family: "engineering" },
  { name: "Search", res: "documents", classes: ["internal"], family: "engineering" },
  { name: "Recommendations", res: "profiles", classes: ["pii"], family: "data" },
  { name: "Fraud", res: "signals", classes: ["pii", "financial"], family: "security" },
  { name: "Ledger", res: "entries", classes: ["financial"], family: "finance" },
  { name: "Invoicing", res: "invoices", classes: ["financial", "pii"], family: "finance" },
  { name: "Subscriptions", res: "subscriptions", classes: ["financial", "pii"], family: "engineering" },
  { name: "Returns", res: "returns", classes: ["pii"], family: "support" },
  { name: "Accounts", res: "accounts", classes: ["pii"], family: "engineering" },
  { name: "Profiles", res: "profiles", classes: ["pii"], family: "engineering" },
  { name: "Reviews", res: "reviews", classes: ["internal"], family: "support" },
  { name: "Promotions", res: "promotions", classes: ["internal"], family: "marketing" },
  { name: "Tax", res: "filings", classes: ["financial"], family: "finance" },
  { name: "Partners", res: "partners", classes: ["pii"], family: "sales" },
  { name: "Reporting", res: "reports", classes: ["financial", "internal"], family: "data" },
  { name: "Claims", res: "claims", classes: ["health", "pii"], family: "support" },
];

type Variant = { suffix: string; kind: "api" | "console" | "db" | "batch"; criticality: SystemDef["criticality"] };
const VARIANTS: readonly Variant[] = [
  { suffix: "API (prod)", kind: "api", criticality: "critical" },
  { suffix: "Admin Console", kind: "console", criticality: "high" },
  { suffix: "DB (prod)", kind: "db", criticality: "critical" },
  { suffix: "API (staging)", kind: "api", criticality: "medium" },
  { suffix: "Batch Jobs", kind: "batch", criticality: "medium" },
  { suffix: "DB (replica)", kind: "db", criticality: "high" },
  { suffix: "API (EU)", kind: "api", criticality: "critical" },
  { suffix: "Event Stream", kind: "batch", criticality: "high" },
  { suffix: "DB (EU)", kind: "db", criticality: "critical" },
  { suffix: "Partner API", kind: "api", criticality: "high" },
  { suffix: "Data Feed", kind: "batch", criticality: "medium" },
];

const P = "privileged" as const;
const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function saasSystem(name: string, family: Family, i: number): SystemDef {
  const connector = i % 5 === 4 ? "manual" : i % 7 === 3 ? "webhook" : "scim";
  const issues = i % 3 === 0 ? (["api_key"] as const) : undefined;
  return {
    slug: slugify(name),
    name,
    category: family === "it" && name === "Kandji" ? "mdm" : "saas",
    criticality: i % 4 === 0 ? "high" : i % 4 === 3 ? "low" : "medium",
    connector,
    owner: "",
    ownerFamily: family,
    description: `${name}, used mainly by ${family}.`,
    audience: { [family]: 0.035 },
    nhi: issues ? 0.1 : 0,
    sessions: true,
    entitlements: ["Member", "Viewer", "Editor", ["Admin", P], ["Owner", P]],
    issues,
    endpoints: issues
      ? [
          { method: "GET", path: "/api/v1/users", scope: "users:read", bulk: 200, classes: ["pii"] },
          { method: "GET", path: "/api/v1/export", scope: "export", bulk: 10000, classes: ["pii", "internal"] },
          { method: "POST", path: "/api/v1/items", scope: "write" },
        ]
      : undefined,
  };
}

function internalSystem(d: Domain, v: Variant): SystemDef {
  const name = `${d.name} ${v.suffix}`;
  const base = {
    slug: slugify(name),
    name,
    criticality: v.criticality,
    owner: "",
    ownerFamily: d.family,
    description: `${d.name} domain: ${v.suffix.toLowerCase()}.`,
  };
  if (v.kind === "api") {
    return {
      ...base,
      category: "api_gateway",
      connector: "oauth",
      audience: { engineering: 0.004 },
      nhi: 0.5,
      sessions: false,
      entitlements: ["Consumer", "Publisher", ["API Admin", P]],
      issues: ["api_key", "oauth_client"],
      endpoints: [
        { method: "GET", path: `/v1/${d.res}`, scope: `${d.res}:read`, bulk: 500, classes: d.classes },
        { method: "GET", path: `/v1/${d.res}/{id}`, scope: `${d.res}:read`, classes: d.classes },
        { method: "POST", path: `/v1/${d.res}`, scope: `${d.res}:write`, classes: d.classes },
        { method: "POST", path: `/v1/${d.res}/export`, scope: `${d.res}:export`, bulk: 50000, classes: d.classes },
        { method: "DELETE", path: `/v1/${d.res}/{id}`, scope: `${d.res}:admin` },
      ],
    };
  }
  if (v.kind === "console") {
    const audience = d.family === "engineering" ? { engineering: 0.01, support: 0.005 } : { [d.family]: 0.015 };
    return {
      ...base,
      category: "saas",
      connector: "scim",
      audience,
      sessions: true,
      entitlements: ["Viewer", "Operator", "Editor", ["Administrator", P]],
    };
  }
  if (v.kind === "db") {
    return {
      ...base,
      category: "database",
      connector: "manual",
      audience: { engineering: 0.003, data: 0.01 },
      nhi: 0.4,
      userStyle: "dbuser",
      sessions: false,
      entitlements: ["read_only", "read_write", ["ddl_admin", P], ["superuser", P]],
    };
  }
  return {
    ...base,
    category: "infrastructure",
    connector: "webhook",
    audience: { engineering: 0.003 },
    nhi: 0.4,
    sessions: false,
    entitlements: ["Viewer", "Operator", ["Admin", P]],
  };
}

export function generatedSystems(count: number): SystemDef[] {
  const out: SystemDef[] = [];
  let i = 0;
  for (const [family, names] of Object.entries(SAAS) as [Family, readonly string[]][]) {
    for (const name of names) out.push(saasSystem(name, family, i++));
  }
  for (const v of VARIANTS) for (const d of DOMAINS) out.push(internalSystem(d, v));
  return out.slice(0, count);
}
