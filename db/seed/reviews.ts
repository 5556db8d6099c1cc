import { reviewCampaigns } from "@/db/schema";
import type { CampaignScope } from "@/db/schema/reviews";
import { exec, rows, type SeedCtx, say } from "./context";
import { u } from "./random";

/**
 * Access-review and API-scope campaigns: three under way (partly decided), one GitHub token campaign near its
 * due date, two closed last quarter (all decided, their revocations applied) and a draft. Grant items go to
 * the subject's manager, credential items to the accountable owner of a machine's token or the manager of a person's
 * own token (the system owner when nobody answers for it).
 * The recommendation follows the product rule: unused for 90 days → revoke; scopes unused for 90 days → reduce.
 */
type CampaignDef = {
  key: string;
  name: (q: string, prev: string) => string;
  kind: "access" | "api_scope";
  scope: (ids: Record<string, number>) => CampaignScope;
  status: "draft" | "active" | "closed";
  policy: "keep" | "revoke" | "escalate";
  startDays: number;
  dueDays: number;
  decideRate: number;
  /** Items: SQL selecting (reviewer_id, subject_id, grant_id, credential_id). */
  items?: string;
};

export async function seedReviews(ctx: SeedCtx): Promise<void> {
  const [dept] = await rows<Record<string, number>>(
    ctx,
    `SELECT
      (SELECT id FROM departments WHERE code = 'TECH') AS tech, (SELECT id FROM departments WHERE code = 'SALES') AS sales,
      (SELECT id FROM departments WHERE code = 'FIN') AS fin, (SELECT id FROM systems WHERE slug = 'customer-lookup-api') AS lookup,
      (SELECT id FROM systems WHERE slug = 'salesforce') AS salesforce, (SELECT id FROM systems WHERE slug = 'github') AS github,
      (SELECT id FROM systems WHERE slug = 'kong') AS kong, (SELECT id FROM systems WHERE slug = 'snowflake') AS snowflake`,
  );
  const month = ctx.now.getUTCMonth();
  const year = ctx.now.getUTCFullYear();
  const q = `Q${Math.floor(month / 3) + 1} ${year}`;
  const prev = month < 3 ? `Q4 ${year - 1}` : `Q${Math.floor(month / 3)} ${year}`;

  // People under a department (any depth), as SQL.
  const under = (deptId: number) =>
    `(WITH RECURSIVE d(id) AS (SELECT ${deptId} UNION SELECT x.id FROM departments x JOIN d ON x.parent_id = d.id) SELECT id FROM d)`;
  const grantItems = (where: string) => `
    SELECT coalesce(m.id, ${ctx.ids.elena}) AS reviewer_id, i.id AS subject_id, g.id AS grant_id, NULL::int AS credential_id
      FROM grants g
      JOIN accounts a ON a.id = g.account_id AND a.status = 'active'
      JOIN entitlements e ON e.id = g.entitlement_id
      JOIN identities i ON i.id = a.identity_id AND i.kind = 'human' AND i.status = 'active'
      LEFT JOIN identities m ON m.id = i.manager_id AND m.status = 'active'
     WHERE g.revoked_at IS NULL AND ${where}`;
  const credentialItems = (where: string) => `
    SELECT coalesce(CASE WHEN h.kind = 'human' THEN m.id ELSE o.id END, s.owner_id) AS reviewer_id, c.holder_id AS subject_id,
           NULL::int8 AS grant_id, c.id AS credential_id
      FROM credentials c
      JOIN systems s ON s.id = c.issuer_system_id
      JOIN identities h ON h.id = c.holder_id AND h.status <> 'disabled'
      LEFT JOIN identities m ON m.id = h.manager_id AND m.status = 'active'
      LEFT JOIN identities o ON o.id = c.owner_id AND o.status = 'active'
     WHERE c.status = 'active' AND ${where}`;

  const defs: CampaignDef[] = [
    {
      key: "tech-privileged",
      name: (q) => `Privileged access — Technology (${q})`,
      kind: "access",
      scope: () => ({ departmentId: dept.tech, privilegedOnly: true }),
      status: "active",
      policy: "escalate",
      startDays: 9,
      dueDays: -5,
      decideRate: 0.55,
      items: grantItems(`e.privileged AND i.department_id IN ${under(dept.tech)}`),
    },
    {
      key: "lookup-scopes",
      name: (q) => `Customer Lookup API scopes (${q})`,
      kind: "api_scope",
      scope: () => ({ systemId: dept.lookup }),
      status: "active",
      policy: "revoke",
      startDays: 6,
      dueDays: -8,
      decideRate: 0.35,
      items: credentialItems(`c.issuer_system_id = ${dept.lookup}`),
    },
    {
      key: "sales-salesforce",
      name: (q) => `Sales — Salesforce access (${q})`,
      kind: "access",
      scope: () => ({ departmentId: dept.sales, systemId: dept.salesforce }),
      status: "active",
      policy: "keep",
      startDays: 3,
      dueDays: -11,
      decideRate: 0.25,
      items: grantItems(`a.system_id = ${dept.salesforce} AND i.department_id IN ${under(dept.sales)}`),
    },
    {
      key: "github-tokens",
      name: (q) => `GitHub tokens and OAuth grants (${q})`,
      kind: "api_scope",
      scope: () => ({ systemId: dept.github }),
      status: "active",
      policy: "revoke",
      startDays: 12,
      dueDays: -2,
      decideRate: 0.6,
      items: credentialItems(
        `c.issuer_system_id = ${dept.github} AND c.kind IN ('personal_access_token', 'oauth_grant')`,
      ),
    },
    {
      key: "finance-critical",
      name: (_, p) => `Finance — critical systems (${p})`,
      kind: "access",
      scope: () => ({ departmentId: dept.fin }),
      status: "closed",
      policy: "revoke",
      startDays: 100,
      dueDays: 72,
      decideRate: 1,
      items: grantItems(`i.department_id IN ${under(dept.fin)}
        AND a.system_id IN (SELECT id FROM systems WHERE criticality = 'critical' AND category NOT IN ('directory', 'sso', 'hr'))`),
    },
    {
      key: "snowflake-keys",
      name: (_, p) => `Snowflake keys and clients (${p})`,
      kind: "api_scope",
      scope: () => ({ systemId: dept.snowflake }),
      status: "closed",
      policy: "revoke",
      startDays: 95,
      dueDays: 65,
      decideRate: 1,
      items: credentialItems(`c.issuer_system_id = ${dept.snowflake}`),
    },
    {
      key: "kong-draft",
      name: (q) => `Kong gateway API scopes (${q})`,
      kind: "api_scope",
      scope: () => ({ systemId: dept.kong }),
      status: "draft",
      policy: "escalate",
      startDays: -7,
      dueDays: -21,
      decideRate: 0,
    },
  ];

  const at = (days: number) => new Date(ctx.now.getTime() - days * 86_400_000);
  const inserted = await ctx.db
    .insert(reviewCampaigns)
    .values(
      defs.map((d) => ({
        name: d.name(q, prev),
        kind: d.kind,
        scope: d.scope(ctx.ids),
        status: d.status,
        noResponsePolicy: d.policy,
        startsAt: at(d.startDays),
        dueAt: at(d.dueDays),
        createdById: ctx.ids.avery,
        createdAt: at(d.startDays + 2),
        closedAt: d.status === "closed" ? at(d.dueDays - 1) : null,
      })),
    )
    .returning({ id: reviewCampaigns.id });

  let total = 0;
  for (const [i, d] of defs.entries()) {
    if (!d.items) continue;
    total += await insertItems(
      ctx,
      inserted[i].id,
      d,
      at(d.startDays),
      d.status === "closed" ? at(d.dueDays + 1) : ctx.now,
    );
  }
  await applyClosedDecisions(
    ctx,
    inserted.filter((_, i) => defs[i].status === "closed").map((c) => c.id),
  );
  say(ctx, `review campaigns: ${defs.length}, items: ${total.toLocaleString("en-US")}`);
}

async function insertItems(ctx: SeedCtx, campaignId: number, d: CampaignDef, start: Date, end: Date): Promise<number> {
  const stale = `${ctx.NOW} - interval '90 days'`;
  const span = (end.getTime() - start.getTime()) / 1000;
  const x = (salt: number, alias = "s") => u(`${alias}.k`, campaignId * 1000 + salt);
  // Maya's team's items wait for her: the manager persona opens the demo with work to do.
  return exec(
    ctx,
    `
    INSERT INTO review_items (campaign_id, reviewer_id, subject_id, grant_id, credential_id, recommendation, recommendation_reason,
                              decision, kept_scopes, justification, decided_by_id, decided_at)
    SELECT ${campaignId}, s.reviewer_id, s.subject_id, s.grant_id, s.credential_id, s.rec::review_decision, s.reason,
           s.decision::review_decision,
           CASE WHEN s.decision = 'reduce' THEN s.used_scopes END,
           CASE s.decision WHEN 'keep' THEN (ARRAY['Still needed for on-call and incident response', 'Used every week for month-end close',
                                                    'Required for the current migration project', 'Confirmed with the system owner'])[1 + (s.k % 4)::int]
                           WHEN 'revoke' THEN (ARRAY['No longer on this team', 'Unused for more than 90 days', 'Replaced by a shared service account',
                                                      'Project finished'])[1 + (s.k % 4)::int]
                           WHEN 'reduce' THEN 'Keeps the scopes it actually uses; the rest are not needed' END,
           CASE WHEN s.decision IS NOT NULL THEN s.reviewer_id END,
           CASE WHEN s.decision IS NOT NULL THEN '${start.toISOString()}'::timestamptz + round(${span} * ${x(3)}) * interval '1 second' END
      FROM (
        SELECT r.*,
               CASE WHEN r.decided THEN
                 CASE r.rec WHEN 'revoke' THEN CASE WHEN ${x(4, "r")} < 0.65 THEN 'revoke' ELSE 'keep' END
                            WHEN 'reduce' THEN CASE WHEN ${x(4, "r")} < 0.6 AND cardinality(r.used_scopes) > 0 THEN 'reduce' ELSE 'keep' END
                            ELSE CASE WHEN ${x(4, "r")} < 0.93 THEN 'keep' ELSE 'revoke' END END END AS decision
          FROM (
            SELECT i.*, coalesce(i.grant_id, i.credential_id)::int8 * 4 + (i.grant_id IS NULL)::int AS k,
                   ${u("coalesce(i.grant_id, i.credential_id)::int8 * 4 + (i.grant_id IS NULL)::int", campaignId * 1000 + 1)} < ${d.decideRate}
                     AND i.reviewer_id <> ${ctx.ids.maya} AS decided,
                   CASE WHEN i.grant_id IS NOT NULL THEN
                          CASE WHEN g.last_used_at IS NULL OR g.last_used_at < ${stale} THEN 'revoke' ELSE 'keep' END
                        WHEN c.last_used_at IS NULL OR c.last_used_at < ${stale} THEN 'revoke'
                        WHEN cardinality(c.scopes) > cardinality(u.used) THEN 'reduce' ELSE 'keep' END AS rec,
                   CASE WHEN i.grant_id IS NOT NULL THEN
                          CASE WHEN g.last_used_at IS NULL THEN 'Never used since it was granted'
                               WHEN g.last_used_at < ${stale} THEN 'Unused for 90 days (last used ' || (g.last_used_at AT TIME ZONE 'UTC')::date || ')'
                               ELSE 'Used in the last 90 days' END
                        WHEN c.last_used_at IS NULL THEN 'Never used'
                        WHEN c.last_used_at < ${stale} THEN 'Unused for 90 days (last used ' || (c.last_used_at AT TIME ZONE 'UTC')::date || ')'
                        WHEN cardinality(c.scopes) > cardinality(u.used)
                          THEN 'Holds scopes unused for 90 days: ' || array_to_string(ARRAY(SELECT unnest(c.scopes) EXCEPT SELECT unnest(u.used) ORDER BY 1), ', ')
                        ELSE 'All scopes used in the last 90 days' END AS reason,
                   u.used AS used_scopes
              FROM (${d.items}) i
              LEFT JOIN grants g ON g.id = i.grant_id
              LEFT JOIN credentials c ON c.id = i.credential_id
              LEFT JOIN LATERAL (SELECT coalesce(array_agg(su.scope ORDER BY su.scope), '{}') AS used FROM credential_scope_usage su
                                  WHERE su.credential_id = c.id AND su.last_used_at >= ${stale}) u ON true
             WHERE i.reviewer_id IS NOT NULL AND i.reviewer_id <> i.subject_id
          ) r
      ) s
     ORDER BY s.k`,
  );
}

/** Closed campaigns: revoke decisions were carried out the day after the decision; reduce kept only the used scopes. */
async function applyClosedDecisions(ctx: SeedCtx, campaignIds: number[]): Promise<void> {
  if (campaignIds.length === 0) return;
  const ids = campaignIds.join(",");
  await exec(
    ctx,
    `UPDATE grants g SET revoked_at = i.decided_at + interval '1 day' FROM review_items i
                    WHERE i.campaign_id IN (${ids}) AND i.decision = 'revoke' AND g.id = i.grant_id AND g.revoked_at IS NULL`,
  );
  await exec(
    ctx,
    `UPDATE credentials c SET status = 'revoked', revoked_at = i.decided_at + interval '1 day' FROM review_items i
                    WHERE i.campaign_id IN (${ids}) AND i.decision = 'revoke' AND c.id = i.credential_id AND c.status = 'active'`,
  );
  await exec(
    ctx,
    `UPDATE credentials c SET scopes = i.kept_scopes FROM review_items i
                    WHERE i.campaign_id IN (${ids}) AND i.decision = 'reduce' AND c.id = i.credential_id AND c.status = 'active'`,
  );
}
