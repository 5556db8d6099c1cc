import type { Family } from "./org";
import type { CredentialKind } from "./systems";

/**
 * Which tokens people and machines hold, by issuer and kind (relative weights), and how many per person.
 * Engineers carry PATs, SSH keys and cloud keys; Sales carries OAuth grants to Salesforce apps; service
 * accounts hold cloud and warehouse keys; AI agents hold delegated OAuth grants.
 */
export type PoolEntry = readonly [slug: string, kind: CredentialKind, weight: number];

export const HUMAN_POOLS: Record<Family, readonly PoolEntry[]> = {
  engineering: [
    ["github", "personal_access_token", 3],
    ["github", "ssh_key", 2.5],
    ["github", "oauth_grant", 0.6],
    ["aws-prod", "service_account_key", 1.2],
    ["gcp", "service_account_key", 0.3],
    ["circleci", "api_key", 0.6],
    ["datadog", "api_key", 0.4],
    ["terraform", "api_key", 0.3],
    ["kong", "api_key", 0.4],
    ["customer-lookup-api", "api_key", 0.15],
    ["vault", "api_key", 0.3],
    ["slack", "oauth_grant", 0.3],
    ["jira", "api_key", 0.4],
    ["twilio", "api_key", 0.1],
    ["stripe", "api_key", 0.05],
    ["snowflake", "service_account_key", 0.15],
  ],
  data: [
    ["snowflake", "service_account_key", 1.5],
    ["gcp", "service_account_key", 1],
    ["github", "personal_access_token", 0.8],
    ["github", "ssh_key", 0.5],
    ["salesforce", "oauth_grant", 0.2],
    ["aws-prod", "service_account_key", 0.4],
    ["jira", "api_key", 0.2],
    ["customer-lookup-api", "api_key", 0.1],
  ],
  security: [
    ["okta", "api_key", 0.6],
    ["github", "personal_access_token", 0.5],
    ["aws-prod", "service_account_key", 0.6],
    ["datadog", "api_key", 0.3],
    ["vault", "api_key", 0.6],
    ["corp-directory", "oauth_client", 0.2],
    ["slack", "oauth_grant", 0.2],
  ],
  it: [
    ["okta", "api_key", 0.8],
    ["corp-directory", "oauth_client", 0.6],
    ["slack", "oauth_grant", 0.5],
    ["jira", "api_key", 0.3],
    ["workday", "oauth_client", 0.1],
    ["github", "personal_access_token", 0.3],
  ],
  sales: [
    ["salesforce", "oauth_grant", 3],
    ["gong", "api_key", 0.3],
    ["hubspot", "oauth_grant", 0.5],
    ["slack", "oauth_grant", 0.5],
    ["docusign", "oauth_grant", 0.4],
    ["box", "oauth_grant", 0.3],
  ],
  support: [
    ["zendesk", "api_key", 1],
    ["zendesk", "oauth_grant", 1],
    ["customer-lookup-api", "api_key", 0.4],
    ["slack", "oauth_grant", 0.5],
    ["salesforce", "oauth_grant", 0.3],
    ["twilio", "api_key", 0.1],
  ],
  marketing: [
    ["hubspot", "oauth_grant", 2],
    ["hubspot", "api_key", 0.5],
    ["slack", "oauth_grant", 0.5],
    ["salesforce", "oauth_grant", 0.4],
  ],
  finance: [
    ["netsuite", "oauth_client", 0.4],
    ["stripe", "api_key", 0.6],
    ["salesforce", "oauth_grant", 0.3],
    ["box", "oauth_grant", 0.3],
    ["workday", "oauth_client", 0.2],
  ],
  people: [
    ["workday", "oauth_client", 0.5],
    ["slack", "oauth_grant", 0.5],
    ["box", "oauth_grant", 0.2],
  ],
  legal: [
    ["docusign", "oauth_grant", 1],
    ["box", "oauth_grant", 0.8],
  ],
  facilities: [["slack", "oauth_grant", 1]],
  leadership: [
    ["salesforce", "oauth_grant", 0.5],
    ["slack", "oauth_grant", 0.5],
    ["docusign", "oauth_grant", 0.5],
  ],
};

/** Credentials per person, on average. */
export const HUMAN_RATE: Record<Family, number> = {
  engineering: 4,
  data: 3,
  security: 2.5,
  it: 2.5,
  sales: 1.2,
  support: 0.9,
  marketing: 0.9,
  finance: 0.7,
  people: 0.4,
  legal: 0.5,
  facilities: 0.2,
  leadership: 0.6,
};

export const NHI_POOLS: Record<"service_account" | "api_client" | "ai_agent", readonly PoolEntry[]> = {
  service_account: [
    ["aws-prod", "service_account_key", 3],
    ["gcp", "service_account_key", 1.5],
    ["snowflake", "service_account_key", 1.5],
    ["github", "personal_access_token", 1],
    ["vault", "api_key", 1],
    ["circleci", "api_key", 0.7],
    ["datadog", "api_key", 0.5],
    ["customer-lookup-api", "api_key", 0.5],
    ["kong", "api_key", 0.7],
    ["stripe", "api_key", 0.3],
    ["twilio", "api_key", 0.3],
  ],
  api_client: [
    ["kong", "oauth_client", 2],
    ["customer-lookup-api", "oauth_client", 1],
    ["salesforce", "oauth_client", 1],
    ["okta", "oauth_client", 0.5],
    ["corp-directory", "oauth_client", 0.7],
    ["workday", "oauth_client", 0.3],
    ["netsuite", "oauth_client", 0.3],
    ["snowflake", "oauth_client", 0.3],
    ["github", "oauth_client", 0.5],
  ],
  ai_agent: [
    ["github", "oauth_grant", 1.5],
    ["slack", "oauth_grant", 1.5],
    ["zendesk", "oauth_grant", 1],
    ["salesforce", "oauth_grant", 0.7],
    ["customer-lookup-api", "api_key", 0.3],
    ["jira", "oauth_grant", 0.5],
    ["gcp", "oauth_grant", 0.5],
    ["box", "oauth_grant", 0.3],
  ],
};

/** Generated internal APIs (large scale) join the pools with this weight each. */
export const GENERATED_API_WEIGHT = { engineering: 0.04, data: 0.02, service_account: 0.25, api_client: 0.25 } as const;
