import type { Family } from "./org";

type Category = "directory" | "sso" | "saas" | "infrastructure" | "pam" | "mdm" | "api_gateway" | "database" | "code_host" | "hr";
type Connector = "scim" | "oauth" | "webhook" | "manual";
export type CredentialKind = "api_key" | "personal_access_token" | "oauth_client" | "oauth_grant" | "service_account_key" | "ssh_key";
export type DataClass = "pii" | "credentials" | "financial" | "health" | "internal";

export type EndpointDef = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  scope: string;
  /** Records per call when the endpoint can return many (bulk). */
  bulk?: number;
  classes?: DataClass[];
  description?: string;
};

export type SystemDef = {
  slug: string;
  name: string;
  category: Category;
  criticality: "low" | "medium" | "high" | "critical";
  connector: Connector;
  deprovision?: "deactivate" | "delete";
  /** Story person who owns the system; generated systems name a family instead (a manager there owns it). */
  owner: string;
  ownerFamily?: Family;
  description: string;
  /** Probability that a person of a family has an account; `all` applies to families not listed. */
  audience: Partial<Record<Family | "all", number>>;
  /** Non-human identities with an account here (relative weight). */
  nhi?: number;
  /** First non-privileged entitlement is the base one every account gets. */
  entitlements: readonly (string | [string, "privileged"])[];
  endpoints?: readonly EndpointDef[];
  /** Credential kinds this system issues (it is a token issuer). */
  issues?: readonly CredentialKind[];
  /** How usernames look: the email, a handle (code hosts) or a database user. */
  userStyle?: "email" | "handle" | "dbuser";
  /** People keep live sessions here (web apps); false for APIs and databases. */
  sessions?: boolean;
  /** Admins get a second, separate admin account here. */
  adminAccounts?: boolean;
};

const P = "privileged" as const;

/** The ~40 named systems present at every scale. */
export const NAMED_SYSTEMS: readonly SystemDef[] = [
  {
    slug: "corp-directory", name: "Corporate Directory (Entra ID)", category: "directory", criticality: "critical", connector: "scim",
    owner: "priya", description: "Authoritative directory; every account, group and device trust hangs off it.",
    audience: { all: 1 }, nhi: 1, sessions: true, adminAccounts: true,
    entitlements: ["Domain Users", "All Staff", "VPN Users", "Wi-Fi Corporate", "Office Printers", "Remote Desktop Users", ["Global Administrator", P], ["User Administrator", P], ["Privileged Role Administrator", P], ["Conditional Access Administrator", P]],
    issues: ["oauth_client"],
    endpoints: [
      { method: "GET", path: "/v1.0/users", scope: "User.Read.All", bulk: 999, classes: ["pii"], description: "List users with profile and contact fields" },
      { method: "GET", path: "/v1.0/users/{id}", scope: "User.Read.All", classes: ["pii"] },
      { method: "PATCH", path: "/v1.0/users/{id}", scope: "User.ReadWrite.All", classes: ["pii"] },
      { method: "GET", path: "/v1.0/groups/{id}/members", scope: "GroupMember.Read.All", bulk: 999, classes: ["pii"] },
      { method: "GET", path: "/v1.0/auditLogs/signIns", scope: "AuditLog.Read.All", bulk: 1000, classes: ["pii", "internal"] },
      { method: "POST", path: "/v1.0/users/{id}/authentication/methods", scope: "UserAuthenticationMethod.ReadWrite.All", classes: ["credentials"] },
    ],
  },
  {
    slug: "okta", name: "Okta", category: "sso", criticality: "critical", connector: "scim",
    owner: "priya", description: "Workforce single sign-on and MFA.",
    audience: { all: 1 }, sessions: true, adminAccounts: true,
    entitlements: ["Everyone", "Okta Verify Users", "Apps: Engineering", "Apps: Go-to-Market", "Apps: Corporate", ["Super Administrator", P], ["Org Administrator", P], ["Help Desk Administrator", P]],
    issues: ["api_key", "oauth_client"],
    endpoints: [
      { method: "GET", path: "/api/v1/users", scope: "okta.users.read", bulk: 200, classes: ["pii"] },
      { method: "GET", path: "/api/v1/users/{id}/factors", scope: "okta.factors.read", classes: ["credentials"] },
      { method: "POST", path: "/api/v1/users/{id}/lifecycle/deactivate", scope: "okta.users.manage" },
      { method: "POST", path: "/api/v1/users/{id}/lifecycle/reset_factors", scope: "okta.factors.manage", classes: ["credentials"] },
      { method: "GET", path: "/api/v1/logs", scope: "okta.logs.read", bulk: 1000, classes: ["pii", "internal"] },
    ],
  },
  {
    slug: "workday", name: "Workday", category: "hr", criticality: "critical", connector: "webhook",
    owner: "nadia", description: "HR system of record; terminations arrive from here.",
    audience: { all: 0.99 }, nhi: 0.3, sessions: true,
    entitlements: ["Employee Self Service", "Benefits Self Service", "Learning", "Manager Self Service", ["HR Partner", P], ["Payroll Administrator", P], ["Security Administrator", P]],
    issues: ["oauth_client"],
    endpoints: [
      { method: "GET", path: "/ccx/api/v1/tidewater/workers", scope: "workers:read", bulk: 1000, classes: ["pii", "financial"] },
      { method: "GET", path: "/ccx/api/v1/tidewater/workers/{id}", scope: "workers:read", classes: ["pii"] },
      { method: "GET", path: "/ccx/api/payroll/v1/tidewater/payslips", scope: "payroll:read", bulk: 500, classes: ["pii", "financial"] },
    ],
  },
  {
    slug: "jamf", name: "Jamf Pro", category: "mdm", criticality: "high", connector: "scim",
    owner: "noor", description: "Mac and iOS device management; holds device trust for Apple devices.",
    audience: { all: 0.55 }, sessions: false,
    entitlements: ["Enrolled User", "Self Service", ["Jamf Administrator", P], ["Device Wipe Operator", P]],
  },
  {
    slug: "intune", name: "Microsoft Intune", category: "mdm", criticality: "high", connector: "scim",
    owner: "noor", description: "Windows and Android device management; holds device trust for those devices.",
    audience: { all: 0.4 }, sessions: false,
    entitlements: ["Enrolled User", "Company Portal", ["Intune Administrator", P]],
  },
  {
    slug: "cyberark", name: "CyberArk Privilege Cloud", category: "pam", criticality: "critical", connector: "scim",
    owner: "sam", description: "Vault for shared privileged credentials and session recording.",
    audience: { security: 0.7, it: 0.55, engineering: 0.08, data: 0.05 }, sessions: true, adminAccounts: true,
    entitlements: ["Vault User", ["Safe Manager", P], ["Vault Administrator", P], ["Privileged Session Auditor", P]],
  },
  {
    slug: "github", name: "GitHub Enterprise", category: "code_host", criticality: "critical", connector: "oauth", deprovision: "delete",
    owner: "sam", description: "Source code, CI workflows and their secrets.",
    audience: { engineering: 0.96, security: 0.6, data: 0.7, it: 0.35 }, nhi: 2, userStyle: "handle", sessions: true,
    entitlements: ["Member", "Team: payments", "Team: platform", "Team: web", "Repository Maintainer", ["Organization Owner", P], ["Repository Admin: payments-service", P], ["Enterprise Owner", P]],
    issues: ["personal_access_token", "ssh_key", "oauth_grant", "oauth_client"],
    endpoints: [
      { method: "GET", path: "/orgs/{org}/members", scope: "read:org", bulk: 100, classes: ["pii"] },
      { method: "GET", path: "/orgs/{org}/repos", scope: "repo", bulk: 100, classes: ["internal"] },
      { method: "GET", path: "/repos/{owner}/{repo}/contents/{path}", scope: "repo", classes: ["internal"] },
      { method: "PUT", path: "/repos/{owner}/{repo}/contents/{path}", scope: "repo", classes: ["internal"] },
      { method: "GET", path: "/repos/{owner}/{repo}/actions/secrets", scope: "repo", classes: ["credentials"] },
      { method: "POST", path: "/repos/{owner}/{repo}/actions/workflows/{id}/dispatches", scope: "workflow" },
      { method: "DELETE", path: "/orgs/{org}/members/{user}", scope: "admin:org" },
      { method: "GET", path: "/orgs/{org}/audit-log", scope: "admin:org", bulk: 100, classes: ["internal", "pii"] },
    ],
  },
  {
    slug: "kong", name: "Kong API Gateway", category: "api_gateway", criticality: "critical", connector: "oauth",
    owner: "tobias", description: "Front door for the public and partner APIs.",
    audience: { engineering: 0.15, it: 0.1 }, nhi: 2, sessions: false,
    entitlements: ["Consumer", "Developer Portal", ["Gateway Administrator", P], ["Workspace Super Admin", P]],
    issues: ["api_key", "oauth_client"],
    endpoints: [
      { method: "GET", path: "/v2/customers", scope: "customers:read", bulk: 500, classes: ["pii"] },
      { method: "GET", path: "/v2/customers/{id}", scope: "customers:read", classes: ["pii"] },
      { method: "GET", path: "/v2/orders", scope: "orders:read", bulk: 1000, classes: ["pii", "financial"] },
      { method: "POST", path: "/v2/refunds", scope: "payments:write", classes: ["financial"] },
      { method: "GET", path: "/v2/invoices", scope: "invoices:read", bulk: 500, classes: ["financial"] },
      { method: "GET", path: "/v2/status", scope: "status:read" },
      { method: "GET", path: "/admin/consumers", scope: "gateway:admin", bulk: 1000, classes: ["credentials"] },
      { method: "POST", path: "/admin/consumers/{id}/key-auth", scope: "gateway:admin", classes: ["credentials"] },
    ],
  },
  {
    slug: "customer-lookup-api", name: "Customer Lookup API", category: "api_gateway", criticality: "critical", connector: "oauth",
    owner: "tobias", description: "Finds customer accounts by email or phone. Its batch lookup is the bulk-PII path abused in the 2022 Twitter incident pattern.",
    audience: { engineering: 0.08, support: 0.3 }, nhi: 1.5, sessions: false,
    entitlements: ["Lookup Console User", ["Lookup Administrator", P]],
    issues: ["api_key", "oauth_client"],
    endpoints: [
      { method: "GET", path: "/users/lookup", scope: "users:read", bulk: 100, classes: ["pii"], description: "Batch lookup by email or phone number; returns account ids and profiles" },
      { method: "GET", path: "/users/{id}", scope: "users:read", classes: ["pii"] },
      { method: "GET", path: "/users/{id}/contact", scope: "users:read.contact", classes: ["pii"] },
      { method: "POST", path: "/users/export", scope: "users:export", bulk: 10000, classes: ["pii"], description: "Asynchronous full export" },
      { method: "PATCH", path: "/users/{id}", scope: "users:write", classes: ["pii"] },
      { method: "GET", path: "/health", scope: "health:read" },
    ],
  },
  {
    slug: "salesforce", name: "Salesforce", category: "saas", criticality: "critical", connector: "oauth",
    owner: "victor", description: "CRM: accounts, contacts, opportunities.",
    audience: { sales: 0.96, support: 0.4, marketing: 0.45, finance: 0.25, leadership: 0.6 }, nhi: 1, sessions: true,
    entitlements: ["Standard User", "Sales User", "Service Cloud User", "Report Builder", ["System Administrator", P], ["Modify All Data", P], ["API Enabled (Integration)", P]],
    issues: ["oauth_grant", "oauth_client"],
    endpoints: [
      { method: "GET", path: "/services/data/v61.0/query", scope: "api", bulk: 2000, classes: ["pii", "financial"] },
      { method: "GET", path: "/services/data/v61.0/sobjects/Contact/{id}", scope: "api", classes: ["pii"] },
      { method: "PATCH", path: "/services/data/v61.0/sobjects/Opportunity/{id}", scope: "api", classes: ["financial"] },
      { method: "GET", path: "/services/data/v61.0/jobs/query/{id}/results", scope: "api", bulk: 50000, classes: ["pii", "financial"], description: "Bulk API 2.0 results" },
      { method: "GET", path: "/services/data/v61.0/sobjects/User", scope: "full", bulk: 2000, classes: ["pii"] },
      { method: "POST", path: "/services/data/v61.0/ssot/query", scope: "cdp_query_api", bulk: 10000, classes: ["pii"] },
      { method: "GET", path: "/services/data/v61.0/chatter/feeds/news/me", scope: "chatter_api", classes: ["internal"] },
    ],
  },
  {
    slug: "zendesk", name: "Zendesk", category: "saas", criticality: "high", connector: "scim",
    owner: "mei", description: "Support tickets and customer conversations.",
    audience: { support: 0.97, sales: 0.15, engineering: 0.1 }, nhi: 1, sessions: true,
    entitlements: ["Light Agent", "Agent", "Team Lead", ["Administrator", P], ["Account Owner", P]],
    issues: ["api_key", "oauth_grant"],
    endpoints: [
      { method: "GET", path: "/api/v2/users", scope: "users:read", bulk: 100, classes: ["pii"] },
      { method: "GET", path: "/api/v2/incremental/users/cursor", scope: "users:read", bulk: 1000, classes: ["pii"] },
      { method: "GET", path: "/api/v2/tickets", scope: "tickets:read", bulk: 100, classes: ["pii"] },
      { method: "PUT", path: "/api/v2/tickets/{id}", scope: "tickets:write", classes: ["pii"] },
      { method: "GET", path: "/api/v2/search", scope: "read", bulk: 100, classes: ["pii"] },
    ],
  },
  {
    slug: "slack", name: "Slack", category: "saas", criticality: "high", connector: "scim",
    owner: "noor", description: "Chat; bots and apps hold workspace tokens.",
    audience: { all: 0.985 }, nhi: 0.6, sessions: true,
    entitlements: ["Member", "User Group: @oncall", "User Group: @office", "Workflow Builder", ["Workspace Admin", P], ["Org Owner", P]],
    issues: ["oauth_grant", "api_key"],
    endpoints: [
      { method: "GET", path: "/api/users.list", scope: "users:read", bulk: 1000, classes: ["pii"] },
      { method: "GET", path: "/api/users.lookupByEmail", scope: "users:read.email", classes: ["pii"] },
      { method: "GET", path: "/api/conversations.history", scope: "channels:history", bulk: 999, classes: ["internal"] },
      { method: "POST", path: "/api/chat.postMessage", scope: "chat:write" },
      { method: "GET", path: "/api/team.accessLogs", scope: "admin", bulk: 1000, classes: ["pii"] },
    ],
  },
  {
    slug: "jira", name: "Jira Software", category: "saas", criticality: "medium", connector: "scim",
    owner: "tobias", description: "Issue tracking.",
    audience: { all: 0.2, engineering: 0.97, security: 0.9, it: 0.9, data: 0.85, support: 0.5, marketing: 0.4 }, nhi: 0.3, sessions: true,
    entitlements: ["jira-software-users", "Project: PAY", "Project: PLAT", "Project: SEC", ["jira-administrators", P]],
    issues: ["api_key", "oauth_grant"],
    endpoints: [
      { method: "GET", path: "/rest/api/3/search", scope: "read:jira-work", bulk: 100, classes: ["internal"] },
      { method: "GET", path: "/rest/api/3/users/search", scope: "read:jira-user", bulk: 1000, classes: ["pii"] },
      { method: "POST", path: "/rest/api/3/issue", scope: "write:jira-work" },
    ],
  },
  {
    slug: "confluence", name: "Confluence", category: "saas", criticality: "medium", connector: "scim",
    owner: "tobias", description: "Wiki.",
    audience: { all: 0.35, engineering: 0.8 }, sessions: true,
    entitlements: ["confluence-users", "Space: Engineering", "Space: Security", "Space: Sales", "Space: Finance", ["confluence-administrators", P]],
  },
  {
    slug: "snowflake", name: "Snowflake", category: "database", criticality: "critical", connector: "scim",
    owner: "ama", description: "Data warehouse, including the customer PII schema.",
    audience: { data: 0.95, engineering: 0.15, finance: 0.3, marketing: 0.1 }, nhi: 1.5, userStyle: "dbuser", sessions: true,
    entitlements: ["PUBLIC", "ANALYST", "REPORTING", ["PII_READER", P], ["SYSADMIN", P], ["SECURITYADMIN", P], ["ACCOUNTADMIN", P]],
    issues: ["service_account_key", "oauth_client"],
    endpoints: [
      { method: "POST", path: "/api/v2/statements", scope: "session:role:ANALYST", bulk: 10000, classes: ["financial", "internal"] },
      { method: "GET", path: "/api/v2/statements/{handle}", scope: "session:role:PII_READER", bulk: 100000, classes: ["pii"], description: "Result partitions of a query on the customer schema" },
      { method: "POST", path: "/api/v2/warehouses/{name}:resume", scope: "session:role:SYSADMIN" },
    ],
  },
  {
    slug: "aws-prod", name: "AWS (Production)", category: "infrastructure", criticality: "critical", connector: "scim",
    owner: "sam", description: "Production AWS organisation via IAM Identity Center; access keys for workloads.",
    audience: { engineering: 0.45, security: 0.5, it: 0.2, data: 0.35 }, nhi: 2, sessions: true, adminAccounts: true,
    entitlements: ["ReadOnlyAccess", "ViewOnlyAccess", "DeveloperAccess", ["PowerUserAccess", P], ["AdministratorAccess", P], ["BillingAccess", P], ["SecurityAudit", P]],
    issues: ["service_account_key"],
    endpoints: [
      { method: "GET", path: "/customer-exports/{key}", scope: "s3:GetObject", bulk: 100000, classes: ["pii"], description: "Objects in the customer-exports bucket" },
      { method: "GET", path: "/customer-exports?list-type=2", scope: "s3:ListBucket", bulk: 1000, classes: ["internal"] },
      { method: "POST", path: "/secretsmanager/GetSecretValue", scope: "secretsmanager:GetSecretValue", classes: ["credentials"] },
      { method: "POST", path: "/iam/CreateAccessKey", scope: "iam:CreateAccessKey", classes: ["credentials"] },
      { method: "POST", path: "/dynamodb/Scan", scope: "dynamodb:Scan", bulk: 1000, classes: ["pii", "financial"] },
    ],
  },
  {
    slug: "gcp", name: "Google Cloud Platform", category: "infrastructure", criticality: "high", connector: "scim",
    owner: "ama", description: "Analytics projects and BigQuery.",
    audience: { data: 0.6, engineering: 0.2 }, nhi: 1, sessions: true,
    entitlements: ["Viewer", "BigQuery User", "Editor", ["Owner", P], ["Security Admin", P]],
    issues: ["service_account_key", "oauth_grant"],
    endpoints: [
      { method: "POST", path: "/bigquery/v2/projects/{project}/queries", scope: "bigquery", bulk: 100000, classes: ["pii"] },
      { method: "GET", path: "/storage/v1/b/{bucket}/o", scope: "devstorage.read_only", bulk: 1000, classes: ["internal"] },
      { method: "GET", path: "/compute/v1/projects/{project}/instances", scope: "compute.readonly" },
      { method: "GET", path: "/v1/projects/{project}/secrets/{secret}/versions/latest:access", scope: "cloud-platform", classes: ["credentials"] },
    ],
  },
  {
    slug: "m365", name: "Microsoft 365", category: "saas", criticality: "high", connector: "scim",
    owner: "noor", description: "Mail, calendar and documents.",
    audience: { all: 0.99 }, sessions: true,
    entitlements: ["E3 License", "Teams: All Hands", "SharePoint: Intranet", "Shared Mailbox: support@", "Shared Mailbox: finance@", ["Exchange Administrator", P], ["SharePoint Administrator", P]],
  },
  {
    slug: "zoom", name: "Zoom", category: "saas", criticality: "low", connector: "scim", deprovision: "delete",
    owner: "noor", description: "Meetings.",
    audience: { all: 0.6 }, sessions: true,
    entitlements: ["Licensed", "Webinar Host", "Large Meetings", "Cloud Recording", ["Owner", P]],
  },
  {
    slug: "datadog", name: "Datadog", category: "saas", criticality: "medium", connector: "scim",
    owner: "tobias", description: "Monitoring and logs (logs may contain PII).",
    audience: { engineering: 0.5, security: 0.5, it: 0.3, data: 0.2 }, nhi: 1, sessions: true,
    entitlements: ["Datadog Read Only Role", "Datadog Standard Role", ["Datadog Admin Role", P]],
    issues: ["api_key"],
    endpoints: [
      { method: "POST", path: "/api/v2/logs/events/search", scope: "logs_read_data", bulk: 1000, classes: ["internal", "pii"] },
      { method: "POST", path: "/api/v2/api_keys", scope: "api_keys_write", classes: ["credentials"] },
      { method: "GET", path: "/api/v1/monitor", scope: "monitors_read" },
    ],
  },
  {
    slug: "pagerduty", name: "PagerDuty", category: "saas", criticality: "medium", connector: "scim",
    owner: "tobias", description: "On-call and incident response.",
    audience: { engineering: 0.35, security: 0.5, it: 0.4 }, sessions: true,
    entitlements: ["Responder", "Manager", ["Account Owner", P]],
  },
  {
    slug: "orders-db", name: "Orders DB (PostgreSQL, prod)", category: "database", criticality: "critical", connector: "manual",
    owner: "tobias", description: "Legacy production database; database roles are granted by hand.",
    audience: { engineering: 0.14, data: 0.2 }, nhi: 1, userStyle: "dbuser", sessions: false,
    entitlements: ["app_readonly", "reporting", ["app_readwrite", P], ["db_owner", P], ["rds_superuser", P]],
  },
  {
    slug: "ledger-db", name: "Ledger DB (Oracle)", category: "database", criticality: "critical", connector: "manual",
    owner: "david", description: "General ledger; access is requested by ticket and removed by a DBA.",
    audience: { finance: 0.45, data: 0.05 }, nhi: 0.5, userStyle: "dbuser", sessions: false,
    entitlements: ["GL_READ", "GL_POST", ["GL_ADMIN", P], ["DBA", P]],
  },
  {
    slug: "netsuite", name: "NetSuite", category: "saas", criticality: "critical", connector: "webhook",
    owner: "david", description: "ERP: payables, receivables, vendor master.",
    audience: { finance: 0.9, leadership: 0.3 }, nhi: 0.5, sessions: true,
    entitlements: ["Employee Center", "A/P Clerk", "A/R Clerk", ["Controller", P], ["Administrator", P]],
    issues: ["oauth_client"],
    endpoints: [
      { method: "GET", path: "/services/rest/record/v1/vendorBill", scope: "rest_webservices", bulk: 1000, classes: ["financial"] },
      { method: "GET", path: "/services/rest/record/v1/vendor", scope: "rest_webservices", bulk: 1000, classes: ["financial", "pii"] },
    ],
  },
  {
    slug: "adp", name: "ADP Workforce Now", category: "hr", criticality: "high", connector: "webhook",
    owner: "nadia", description: "Payroll processing.",
    audience: { finance: 0.2, people: 0.4 }, sessions: true,
    entitlements: ["Practitioner", ["Payroll Administrator", P], ["Security Master", P]],
  },
  {
    slug: "expensify", name: "Expensify", category: "saas", criticality: "low", connector: "scim",
    owner: "david", description: "Expenses.",
    audience: { all: 0.35, sales: 0.85, leadership: 0.9 }, sessions: true,
    entitlements: ["Employee", "Approver", "Corporate Card", ["Domain Admin", P]],
  },
  {
    slug: "greenhouse", name: "Greenhouse", category: "saas", criticality: "medium", connector: "manual",
    owner: "nadia", description: "Recruiting (candidate PII); no provisioning API on our plan.",
    audience: { people: 0.8, leadership: 0.3, engineering: 0.08 }, sessions: true,
    entitlements: ["Interviewer", "Hiring Manager", "Recruiter", ["Site Admin", P]],
  },
  {
    slug: "hubspot", name: "HubSpot", category: "saas", criticality: "medium", connector: "oauth",
    owner: "julia", description: "Marketing automation and contact lists.",
    audience: { marketing: 0.95, sales: 0.3 }, nhi: 0.5, sessions: true,
    entitlements: ["Marketing Contact Viewer", "Marketing User", ["Super Admin", P]],
    issues: ["oauth_grant", "api_key"],
    endpoints: [
      { method: "GET", path: "/crm/v3/objects/contacts", scope: "crm.objects.contacts.read", bulk: 100, classes: ["pii"] },
      { method: "POST", path: "/crm/v3/exports/export/async", scope: "crm.export", bulk: 1000000, classes: ["pii"] },
      { method: "PATCH", path: "/crm/v3/objects/contacts/{id}", scope: "crm.objects.contacts.write", classes: ["pii"] },
    ],
  },
  {
    slug: "gong", name: "Gong", category: "saas", criticality: "medium", connector: "scim",
    owner: "victor", description: "Call recordings.",
    audience: { sales: 0.8, support: 0.1 }, sessions: true,
    entitlements: ["Recorded User", "Listener", ["Technical Administrator", P]],
    issues: ["api_key"],
    endpoints: [{ method: "GET", path: "/v2/calls", scope: "api:calls:read:basic", bulk: 100, classes: ["pii"] }],
  },
  {
    slug: "docusign", name: "DocuSign", category: "saas", criticality: "medium", connector: "scim",
    owner: "oscar", description: "Contract signatures.",
    audience: { sales: 0.5, legal: 0.9, finance: 0.4, people: 0.4, leadership: 0.7 }, sessions: true,
    entitlements: ["Sender", "Viewer", ["Account Administrator", P]],
    issues: ["oauth_grant"],
    endpoints: [{ method: "GET", path: "/restapi/v2.1/accounts/{id}/envelopes", scope: "signature", bulk: 100, classes: ["pii"] }],
  },
  {
    slug: "box", name: "Box", category: "saas", criticality: "medium", connector: "scim",
    owner: "noor", description: "File sharing with partners.",
    audience: { all: 0.12, sales: 0.5, legal: 0.8, finance: 0.5 }, sessions: true,
    entitlements: ["User", "External Collaboration", "Co-admin", ["Admin", P]],
    issues: ["oauth_grant"],
    endpoints: [{ method: "GET", path: "/2.0/folders/{id}/items", scope: "root_readonly", bulk: 1000, classes: ["internal", "pii"] }],
  },
  {
    slug: "tableau", name: "Tableau Cloud", category: "saas", criticality: "medium", connector: "scim",
    owner: "ama", description: "Dashboards over the warehouse.",
    audience: { data: 0.9, sales: 0.3, finance: 0.5, marketing: 0.4, leadership: 0.7 }, sessions: true,
    entitlements: ["Viewer", "Explorer", "Creator", ["Site Administrator", P]],
  },
  {
    slug: "vault", name: "HashiCorp Vault", category: "pam", criticality: "critical", connector: "oauth",
    owner: "sam", description: "Application secrets and dynamic database credentials.",
    audience: { engineering: 0.2, security: 0.6, it: 0.2 }, nhi: 1.5, sessions: false,
    entitlements: ["default", "kv-read: payments", ["kv-write: payments", P], ["pki-admin", P], ["root-equivalent", P]],
    issues: ["api_key"],
    endpoints: [
      { method: "GET", path: "/v1/secret/data/{path}", scope: "secrets:read", classes: ["credentials"] },
      { method: "POST", path: "/v1/auth/token/create", scope: "token:create", classes: ["credentials"] },
    ],
  },
  {
    slug: "terraform", name: "Terraform Cloud", category: "infrastructure", criticality: "high", connector: "oauth",
    owner: "tobias", description: "Infrastructure as code runs.",
    audience: { engineering: 0.2, security: 0.2 }, nhi: 0.5, sessions: true,
    entitlements: ["Team: developers", ["Team: owners", P]],
    issues: ["api_key"],
    endpoints: [
      { method: "GET", path: "/api/v2/workspaces/{id}/vars", scope: "workspace:read-variables", classes: ["credentials"] },
      { method: "POST", path: "/api/v2/runs", scope: "workspace:apply" },
    ],
  },
  {
    slug: "circleci", name: "CircleCI", category: "infrastructure", criticality: "high", connector: "oauth",
    owner: "tobias", description: "Builds and deploys.",
    audience: { engineering: 0.3 }, nhi: 1, sessions: true,
    entitlements: ["Member", ["Organization Admin", P]],
    issues: ["api_key"],
    endpoints: [
      { method: "GET", path: "/api/v2/project/{slug}/envvar", scope: "project:read", classes: ["credentials"] },
      { method: "POST", path: "/api/v2/project/{slug}/pipeline", scope: "pipeline:write" },
    ],
  },
  {
    slug: "sentry", name: "Sentry", category: "saas", criticality: "low", connector: "scim",
    owner: "tobias", description: "Error tracking.",
    audience: { engineering: 0.35 }, sessions: true,
    entitlements: ["Member", ["Owner", P]],
  },
  {
    slug: "twilio", name: "Twilio", category: "saas", criticality: "high", connector: "oauth",
    owner: "tobias", description: "SMS and voice; message logs hold phone numbers.",
    audience: { engineering: 0.08, support: 0.05 }, nhi: 0.6, sessions: true,
    entitlements: ["Developer", ["Owner", P]],
    issues: ["api_key"],
    endpoints: [
      { method: "GET", path: "/2010-04-01/Accounts/{sid}/Messages.json", scope: "messages:read", bulk: 1000, classes: ["pii"] },
      { method: "POST", path: "/2010-04-01/Accounts/{sid}/Messages.json", scope: "messages:write", classes: ["pii"] },
      { method: "GET", path: "/v2/PhoneNumbers/{number}", scope: "lookups:read", classes: ["pii"] },
    ],
  },
  {
    slug: "stripe", name: "Stripe", category: "saas", criticality: "critical", connector: "oauth",
    owner: "david", description: "Payments.",
    audience: { finance: 0.3, engineering: 0.06, support: 0.05 }, nhi: 0.8, sessions: true,
    entitlements: ["View only", "Support specialist", ["Administrator", P], ["Refund analyst", P]],
    issues: ["api_key"],
    endpoints: [
      { method: "GET", path: "/v1/customers", scope: "rak_customer_read", bulk: 100, classes: ["pii", "financial"] },
      { method: "GET", path: "/v1/charges", scope: "rak_charge_read", bulk: 100, classes: ["financial"] },
      { method: "POST", path: "/v1/refunds", scope: "rak_refund_write", classes: ["financial"] },
      { method: "GET", path: "/v1/payouts", scope: "rak_payout_read", bulk: 100, classes: ["financial"] },
    ],
  },
  {
    slug: "badge", name: "Badge Access (Lenel OnGuard)", category: "infrastructure", criticality: "medium", connector: "manual",
    owner: "frank", description: "Door badges; deactivated by the front desk.",
    audience: { all: 0.45, facilities: 0.98 }, sessions: false,
    entitlements: ["Badge: Standard", "Badge: After Hours", "Badge: Parking", "Badge: Data Center", ["Badge Administrator", P]],
  },
  {
    slug: "servicenow", name: "ServiceNow", category: "saas", criticality: "high", connector: "webhook",
    owner: "ken", description: "IT service management; manual revocation tickets go here.",
    audience: { all: 0.12, it: 0.98, security: 0.6, facilities: 0.5 }, sessions: true,
    entitlements: ["Requester", "ITIL User", "Approver", ["Admin", P], ["Security Admin", P]],
  },
];
