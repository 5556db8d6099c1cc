import type { CredentialKind } from "./systems";

/**
 * The story's tokens. The first three are the 2022 Twitter pattern: credentials whose accountable owner
 * has left (or was never recorded) that still reach the Customer Lookup API's batch lookup, one of them
 * used this morning. Days are offsets before "now"; `usage` lists the scopes the issuer saw used, and when.
 */
export type StoryCredential = {
  holder: string;
  kind: CredentialKind;
  issuer: string;
  name: string;
  ref: string;
  scopes: string[];
  createdDaysAgo: number;
  lastUsedDaysAgo: number | null;
  rotatedDaysAgo?: number;
  expiresInDays?: number;
  usage?: Record<string, number>;
};

export const STORY_CREDENTIALS: readonly StoryCredential[] = [
  {
    holder: "svc_customer_export", kind: "api_key", issuer: "customer-lookup-api", name: "customer-export nightly key", ref: "clk_live_7f3a9c1e52d04b8a",
    scopes: ["users:read", "users:export"], createdDaysAgo: 540, lastUsedDaysAgo: 137, usage: { "users:read": 137, "users:export": 402 },
  },
  {
    holder: "lookup_sync_client", kind: "oauth_client", issuer: "customer-lookup-api", name: "lookup-sync (client credentials)", ref: "client_lookup_sync_01",
    scopes: ["users:read", "users:read.contact"], createdDaysAgo: 310, lastUsedDaysAgo: 0.1, rotatedDaysAgo: 200,
    usage: { "users:read": 0.1, "users:read.contact": 0.4 },
  },
  {
    holder: "legacy_reporting", kind: "api_key", issuer: "customer-lookup-api", name: "reporting export (legacy)", ref: "clk_live_0b11e6d2aa93f470",
    scopes: ["users:read", "users:export"], createdDaysAgo: 1100, lastUsedDaysAgo: 210, usage: { "users:read": 210, "users:export": 215 },
  },
  {
    holder: "legacy_reporting", kind: "service_account_key", issuer: "snowflake", name: "LEGACY_REPORTING key pair", ref: "SHA256:lgcy/rprt+9QmXo2Vb4Kd0pTz",
    scopes: ["session:role:PII_READER", "session:role:ANALYST"], createdDaysAgo: 1000, lastUsedDaysAgo: 95, usage: { "session:role:PII_READER": 95 },
  },
  {
    holder: "ravi", kind: "personal_access_token", issuer: "github", name: "PAT: release scripts", ref: "ghp_R4viM3n0nRel3aseScr1pts",
    scopes: ["repo", "read:org", "admin:org"], createdDaysAgo: 200, lastUsedDaysAgo: 1, usage: { repo: 1, "read:org": 6 },
  },
  {
    holder: "ravi", kind: "service_account_key", issuer: "aws-prod", name: "AKIA…Q7RM (ravi.menon laptop)", ref: "AKIA4TWRAVIQ7RM00001",
    scopes: ["s3:GetObject", "s3:ListBucket"], createdDaysAgo: 380, lastUsedDaysAgo: 3, usage: { "s3:GetObject": 3, "s3:ListBucket": 3 },
  },
  { holder: "ravi", kind: "ssh_key", issuer: "github", name: "ssh-ed25519 ravi.menon@TW-MBP-000182", ref: "SHA256:rAv1+Mn0n/ed25519xK2", scopes: [], createdDaysAgo: 700, lastUsedDaysAgo: 1 },
  {
    holder: "ci_deploy_bot", kind: "personal_access_token", issuer: "github", name: "ci-deploy-bot release token", ref: "ghp_C1D3pl0yB0tR3l3as3T0k",
    scopes: ["repo", "workflow"], createdDaysAgo: 160, lastUsedDaysAgo: 0.05, expiresInDays: 25, usage: { repo: 0.05, workflow: 0.05 },
  },
  {
    holder: "ci_deploy_bot", kind: "service_account_key", issuer: "aws-prod", name: "AKIA…CI01 (deploy)", ref: "AKIA4TWCIDEPLOY00001",
    scopes: ["secretsmanager:GetSecretValue", "iam:CreateAccessKey"], createdDaysAgo: 420, lastUsedDaysAgo: 0.05, rotatedDaysAgo: 150,
    usage: { "secretsmanager:GetSecretValue": 0.05, "iam:CreateAccessKey": 300 },
  },
  {
    holder: "code_review_agent", kind: "oauth_grant", issuer: "github", name: "code-review-assistant (GitHub App)", ref: "gho_C0d3R3vi3wAss1stant",
    scopes: ["repo", "read:org"], createdDaysAgo: 70, lastUsedDaysAgo: 0.02, usage: { repo: 0.02, "read:org": 0.5 },
  },
  {
    holder: "status_page_client", kind: "api_key", issuer: "kong", name: "status page poller", ref: "kong_key_status_page",
    scopes: ["status:read"], createdDaysAgo: 600, lastUsedDaysAgo: 0.01, rotatedDaysAgo: 80, usage: { "status:read": 0.01 },
  },
  {
    holder: "support_triage_agent", kind: "oauth_grant", issuer: "zendesk", name: "support-triage-agent (Zendesk app)", ref: "zd_oauth_triage_agent",
    scopes: ["tickets:read", "users:read", "tickets:write"], createdDaysAgo: 45, lastUsedDaysAgo: 0.02,
    usage: { "tickets:read": 0.02, "users:read": 0.02, "tickets:write": 1 },
  },
  { holder: "chloe", kind: "oauth_grant", issuer: "salesforce", name: "Salesforce Inbox", ref: "sf_oauth_chloe_inbox", scopes: ["api", "refresh_token"], createdDaysAgo: 800, lastUsedDaysAgo: 0.5, usage: { api: 0.5 } },
  { holder: "chloe", kind: "api_key", issuer: "gong", name: "Gong export (personal)", ref: "gong_key_chloe_export", scopes: ["api:calls:read:basic"], createdDaysAgo: 240, lastUsedDaysAgo: 9, usage: { "api:calls:read:basic": 9 } },
  { holder: "kofi", kind: "service_account_key", issuer: "snowflake", name: "KOFI_ASANTE key pair", ref: "SHA256:k0f1/As4nte+key9Pz", scopes: ["session:role:ANALYST"], createdDaysAgo: 300, lastUsedDaysAgo: 16, usage: { "session:role:ANALYST": 16 } },
  { holder: "ingrid", kind: "oauth_grant", issuer: "hubspot", name: "HubSpot for Gmail", ref: "hs_oauth_ingrid_gmail", scopes: ["crm.objects.contacts.read", "crm.export"], createdDaysAgo: 900, lastUsedDaysAgo: 21, usage: { "crm.objects.contacts.read": 21, "crm.export": 130 } },
  { holder: "daniel", kind: "personal_access_token", issuer: "github", name: "PAT: local dev", ref: "ghp_D4n13lBr00ksL0calDev", scopes: ["repo", "read:org"], createdDaysAgo: 90, lastUsedDaysAgo: 0.2, expiresInDays: 60, usage: { repo: 0.2, "read:org": 2 } },
  { holder: "daniel", kind: "ssh_key", issuer: "github", name: "ssh-ed25519 daniel.brooks@TW-MBP-000172", ref: "SHA256:d4n1el/ed25519Qw7", scopes: [], createdDaysAgo: 500, lastUsedDaysAgo: 0.2 },
  { holder: "maya", kind: "personal_access_token", issuer: "github", name: "PAT: reviews", ref: "ghp_M4y4P4t3lR3vi3ws", scopes: ["repo", "read:org"], createdDaysAgo: 130, lastUsedDaysAgo: 2, expiresInDays: 100, usage: { repo: 2, "read:org": 2 } },
  { holder: "aisha", kind: "service_account_key", issuer: "gcp", name: "aisha-bigquery-sandbox key", ref: "gcp-key-aisha-bq-sandbox", scopes: ["bigquery", "devstorage.read_only"], createdDaysAgo: 260, lastUsedDaysAgo: 120, usage: { bigquery: 120 } },
];
