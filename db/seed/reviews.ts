import { eq } from "drizzle-orm";
import { reviewCampaigns } from "@/db/schema";
import type { CampaignScope } from "@/db/schema/reviews";
import { SYSTEM_ACTOR } from "@/lib/authz";
import { makeCtx } from "@/lib/context";
import { requestRemediation } from "@/lib/remediation/internal";
import { generateItems } from "@/lib/reviews/generate.internal";
import { remediationItemsSql } from "@/lib/reviews/population";
import { exec, rows, type SeedCtx, say } from "./context";
import { u } from "./random";

/**
 * Access-review and API-scope campaigns: three under way (partly decided), one GitHub token campaign near its
 * due date, two closed last quarter (all decided, their remediation verified) and a draft. The items come from the
 * app's own generator (lib/reviews/generate.internal.ts): the same population, reviewers, recommendations and
 * snapshots a launch creates. The seed then plays the reviewers' decisions and the closed campaigns' remediation.
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
  const critical = (
    await rows<{ id: number }>(
      ctx,
      "SELECT id FROM systems WHERE criticality = 'critical' AND category NOT IN ('directory', 'sso', 'hr') ORDER BY id",
    )
  ).map((r) => Number(r.id));
  const month = ctx.now.getUTCMonth();
  const year = ctx.now.getUTCFullYear();
  const q = `Q${Math.floor(month / 3) + 1} ${year}`;
  const prev = month < 3 ? `Q4 ${year - 1}` : `Q${Math.floor(month / 3)} ${year}`;

  const defs: CampaignDef[] = [
    {
      key: "tech-privileged",
      name: (q) => `Privileged access — Technology (${q})`,
      kind: "access",
      scope: () => ({ departmentIds: [dept.tech], privilegedOnly: true }),
      status: "active",
      policy: "escalate",
      startDays: 9,
      dueDays: -5,
      decideRate: 0.55,
    },
    {
      key: "lookup-scopes",
      name: (q) => `Customer Lookup API scopes (${q})`,
      kind: "api_scope",
      scope: () => ({ systemIds: [dept.lookup] }),
      status: "active",
      policy: "revoke",
      startDays: 6,
      dueDays: -8,
      decideRate: 0.35,
    },
    {
      key: "sales-salesforce",
      name: (q) => `Sales — Salesforce access (${q})`,
      kind: "access",
      scope: () => ({ departmentIds: [dept.sales], systemIds: [dept.salesforce] }),
      status: "active",
      policy: "keep",
      startDays: 3,
      dueDays: -11,
      decideRate: 0.25,
    },
    {
      key: "github-tokens",
      name: (q) => `GitHub tokens and OAuth grants (${q})`,
      kind: "api_scope",
      scope: () => ({ systemIds: [dept.github] }),
      status: "active",
      policy: "revoke",
      startDays: 12,
      dueDays: -2,
      decideRate: 0.6,
    },
    {
      key: "finance-critical",
      name: (_, p) => `Finance — critical systems (${p})`,
      kind: "access",
      scope: () => ({ departmentIds: [dept.fin], systemIds: critical }),
      status: "closed",
      policy: "revoke",
      startDays: 100,
      dueDays: 72,
      decideRate: 1,
    },
    {
      key: "snowflake-keys",
      name: (_, p) => `Snowflake keys and clients (${p})`,
      kind: "api_scope",
      scope: () => ({ systemIds: [dept.snowflake] }),
      status: "closed",
      policy: "revoke",
      startDays: 95,
      dueDays: 65,
      decideRate: 1,
    },
    {
      key: "kong-draft",
      name: (q) => `Kong gateway API scopes (${q})`,
      kind: "api_scope",
      scope: () => ({ systemIds: [dept.kong] }),
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
        // A draft was written before today even when it is to start later.
        createdAt: at(Math.max(d.startDays + 2, 1)),
        closedAt: d.status === "closed" ? at(d.dueDays - 1) : null,
        closedById: d.status === "closed" ? ctx.ids.avery : null,
      })),
    )
    .returning({ id: reviewCampaigns.id });

  let total = 0;
  const seeder = { ...SYSTEM_ACTOR, name: "seed" };
  for (const [i, d] of defs.entries()) {
    const id = inserted[i].id;
    if (d.status === "draft") continue;
    // Selected as it would have been at launch; items are assigned then.
    const launch = makeCtx(seeder, ctx.db, at(d.startDays));
    const population = await generateItems(launch, {
      id,
      kind: d.kind,
      scope: d.scope(ctx.ids),
      fallbackReviewerId: ctx.ids.avery,
    });
    await ctx.db
      .update(reviewCampaigns)
      .set({ population, fallbackReviewerId: ctx.ids.avery })
      .where(eq(reviewCampaigns.id, id));
    total += population.items;
    await playDecisions(ctx, id, d, at(d.startDays), d.status === "closed" ? at(d.dueDays + 1) : ctx.now);
  }
  for (const [i, d] of defs.entries()) if (d.status === "closed") await playRemediation(ctx, inserted[i].id);
  say(ctx, `review campaigns: ${defs.length}, items: ${total.toLocaleString("en-US")}`);
}

/**
 * Reviewers decide a share of their items over the campaign's life, mostly following the recommendation (a revoke
 * kept needs a justification, privileged keeps too). Maya's items wait for her: the manager persona opens the demo
 * with work to do.
 */
async function playDecisions(ctx: SeedCtx, campaignId: number, d: CampaignDef, start: Date, end: Date): Promise<void> {
  const span = (end.getTime() - start.getTime()) / 1000;
  const x = (salt: number) => u("i.id", campaignId * 1000 + salt);
  await exec(
    ctx,
    `
    UPDATE review_items i SET decision = z.decision::review_decision, decision_source = 'reviewer',
           kept_scopes = CASE WHEN z.decision = 'reduce' THEN ARRAY(SELECT jsonb_array_elements_text(i.snapshot->'usedScopes')) END,
           justification = CASE z.decision
             WHEN 'keep' THEN (ARRAY['Still needed for on-call and incident response', 'Used every week for month-end close',
                                     'Required for the current migration project', 'Confirmed with the system owner'])[1 + (i.id % 4)::int]
             WHEN 'revoke' THEN (ARRAY['No longer on this team', 'Unused for more than 90 days', 'Replaced by a shared service account',
                                       'Project finished'])[1 + (i.id % 4)::int]
             WHEN 'reduce' THEN 'Keeps the scopes it actually uses; the rest are not needed' END,
           decided_by_id = i.reviewer_id,
           decided_at = '${start.toISOString()}'::timestamptz + round(${span} * ${x(3)}) * interval '1 second'
      FROM (SELECT i.id,
                   CASE i.recommendation WHEN 'revoke' THEN CASE WHEN ${x(4)} < 0.65 THEN 'revoke' ELSE 'keep' END
                        WHEN 'reduce' THEN CASE WHEN ${x(4)} < 0.6 AND jsonb_array_length(i.snapshot->'usedScopes') > 0 THEN 'reduce' ELSE 'keep' END
                        ELSE CASE WHEN ${x(4)} < 0.93 THEN 'keep' ELSE 'revoke' END END AS decision
              FROM review_items i
             WHERE i.campaign_id = ${campaignId} AND i.reviewer_id <> ${ctx.ids.maya} AND ${x(1)} < ${d.decideRate}) z
     WHERE i.id = z.id`,
  );
}

/**
 * A closed campaign's revokes and reduces went through the remediation engine (tasks from the same SQL a close
 * uses), and were carried out and verified the day after the decision: the seed records them so, and applies them to
 * the grants and credentials they changed.
 */
async function playRemediation(ctx: SeedCtx, campaignId: number): Promise<void> {
  const tx = makeCtx({ ...SYSTEM_ACTOR, name: "seed" }, ctx.db, ctx.now);
  await requestRemediation(tx, { origin: "review_item", items: { sql: remediationItemsSql(campaignId) } });
  await exec(
    ctx,
    `
    UPDATE remediation_tasks t SET state = 'verified',
           attempts = 1, executed_at = i.decided_at + interval '1 day', verified_at = i.decided_at + interval '1 day 2 minutes',
           verification = CASE WHEN t.mode = 'connector' THEN s.connector_kind::text || ' re-read: access inactive [simulated]'
                               ELSE 'manual: confirmed with evidence' END,
           connector_kind = CASE WHEN t.mode = 'connector' THEN s.connector_kind::text ELSE 'manual' END,
           simulated = t.mode = 'connector' AND s.connector_simulated, outcome = 'done',
           confirmed_by_id = CASE WHEN t.mode <> 'connector' THEN ${ctx.ids.avery} END,
           updated_at = i.decided_at + interval '1 day 2 minutes'
      FROM review_items i, systems s
     WHERE t.origin = 'review_item' AND t.origin_id = i.id AND i.campaign_id = ${campaignId} AND s.id = t.system_id`,
  );
  await exec(
    ctx,
    `UPDATE grants g SET revoked_at = t.executed_at FROM remediation_tasks t, review_items i
      WHERE t.origin = 'review_item' AND t.origin_id = i.id AND i.campaign_id = ${campaignId}
        AND t.action = 'remove_grant' AND g.id = t.target_id AND g.revoked_at IS NULL`,
  );
  await exec(
    ctx,
    `UPDATE credentials c SET status = 'revoked', revoked_at = t.executed_at FROM remediation_tasks t, review_items i
      WHERE t.origin = 'review_item' AND t.origin_id = i.id AND i.campaign_id = ${campaignId}
        AND t.action = 'revoke_credential' AND c.id = t.target_id AND c.status = 'active'`,
  );
  await exec(
    ctx,
    `UPDATE credentials c SET scopes = i.kept_scopes FROM remediation_tasks t, review_items i
      WHERE t.origin = 'review_item' AND t.origin_id = i.id AND i.campaign_id = ${campaignId}
        AND t.action = 'reduce_scopes' AND c.id = t.target_id AND c.status = 'active'`,
  );
}
