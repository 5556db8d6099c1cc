import { LAYOFF_DAYS_AGO } from "./catalog/story-people";
import { analyze, exec, loadTemp, type SeedCtx, say } from "./context";
import { u } from "./random";

/**
 * Leaver cases: one per person who is leaving (status leaver: open or in progress) or has left (disabled:
 * closed, a few reopened by drift). Reason, effective time and SLA follow the policies (involuntary +60 min,
 * layoff +240 min from the effective time, the others at the end of the last day). Cases arrive in daily
 * Workday import batches, the Support layoff in one batch of its own, a few opened by hand.
 */
type StoryCase = {
  reason: string;
  status: string;
  effectiveHoursAgo?: number;
  openedHoursAgo?: number;
  assignee: string | null;
};

const STORY_CASES: Record<string, StoryCase> = {
  // Maya's report, let go this afternoon: privileged grants and a bulk-PII token still live, SLA already missed.
  ravi: { reason: "involuntary", status: "open", effectiveHoursAgo: 3, openedHoursAgo: 2.8, assignee: null },
  // Leaving today: half revoked, Salesforce failing.
  chloe: { reason: "voluntary", status: "in_progress", openedHoursAgo: 5 * 24, assignee: "avery" },
  paula: { reason: "layoff", status: "open", assignee: null },
  // Left three weeks ago: every task verified, still under drift watch.
  ingrid: { reason: "voluntary", status: "closed", assignee: "jordan" },
  // Contract ended two weeks ago; drift watch found his Snowflake account enabled again.
  kofi: { reason: "contract_end", status: "reopened", assignee: "jordan" },
};

export async function seedLeaverCases(ctx: SeedCtx): Promise<void> {
  await loadTemp(
    ctx,
    "seed_story_case",
    "identity_id int, reason text, status text, eff_hours float8, opened_hours float8, assignee int",
    Object.entries(STORY_CASES).map(([who, c]) => ({
      identity_id: ctx.ids[who],
      reason: c.reason,
      status: c.status,
      eff_hours: c.effectiveHoursAgo ?? null,
      opened_hours: c.openedHoursAgo ?? null,
      assignee: c.assignee ? ctx.ids[c.assignee] : null,
    })),
  );
  const now = ctx.NOW;
  const hoursAgo = (h: string) => `(${now} - round((${h}) * 3600) * interval '1 second')`;
  const layoffAt = hoursAgo(`${LAYOFF_DAYS_AGO * 24}`);
  const analysts = `(ARRAY[${ctx.ids.avery}, ${ctx.ids.jordan}])`;
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_case ON COMMIT DROP AS
    SELECT y.*,
           CASE y.reason WHEN 'involuntary' THEN y.effective_at + interval '60 minutes'
                         WHEN 'layoff' THEN y.effective_at + interval '240 minutes'
                         ELSE ((y.last_day + 1)::timestamp AT TIME ZONE 'UTC') END AS sla_due_at,
           CASE WHEN y.story_status IS NOT NULL THEN y.story_status
                WHEN y.person_status = 'disabled' THEN CASE WHEN y.u2 < 0.05 AND y.last_day > (${now} AT TIME ZONE 'UTC')::date - 45 THEN 'reopened' ELSE 'closed' END
                WHEN y.effective_at > ${now} THEN 'open'
                WHEN y.effective_at < ${now} - interval '1 day' THEN CASE WHEN y.u2 < 0.85 THEN 'in_progress' ELSE 'open' END
                WHEN y.u2 < 0.5 THEN 'in_progress' ELSE 'open' END AS status,
           CASE WHEN y.opened_hours IS NOT NULL THEN ${hoursAgo("y.opened_hours")}
                WHEN y.reason = 'layoff' THEN y.effective_at - interval '1 hour'
                WHEN y.reason = 'involuntary' THEN y.effective_at - date_trunc('second', (5 + 40 * y.u3) * interval '1 minute')
                ELSE least(${now} - interval '10 minutes', y.effective_at - date_trunc('second', (2 + 12 * y.u3) * interval '1 day')) END AS opened_at
      FROM (
        SELECT x.*,
               CASE WHEN x.eff_hours IS NOT NULL THEN ${hoursAgo("x.eff_hours")}
                    WHEN x.reason = 'layoff' THEN ${layoffAt}
                    WHEN x.reason = 'involuntary' THEN (x.last_day::timestamp AT TIME ZONE 'UTC') + date_trunc('second', (9 + 7 * x.u1) * interval '1 hour')
                    ELSE (x.last_day::timestamp AT TIME ZONE 'UTC') + interval '17 hours' END AS effective_at
          FROM (
            SELECT i.id AS identity_id, i.status::text AS person_status, i.termination_date AS last_day, i.manager_id,
                   sc.status AS story_status, sc.eff_hours, sc.opened_hours,
                   coalesce(sc.assignee, CASE WHEN ${u("i.id", 112)} < 0.35 AND i.status = 'leaver' THEN NULL
                                              ELSE ${analysts}[1 + (i.id % 2)] END) AS assignee_id,
                   CASE WHEN sc.reason IS NOT NULL THEN sc.reason
                        WHEN p.family = 'support' AND p.term_off = -${LAYOFF_DAYS_AGO} THEN 'layoff'
                        WHEN p.employment IN ('contractor', 'vendor') AND ${u("i.id", 110)} < 0.8 THEN 'contract_end'
                        WHEN p.term_off > 0 OR ${u("i.id", 110)} < 0.78 THEN 'voluntary'
                        ELSE 'involuntary' END AS reason,
                   ${u("i.id", 111)} AS u1, ${u("i.id", 113)} AS u2, ${u("i.id", 114)} AS u3, ${u("i.id", 115)} AS u4
              FROM identities i
              JOIN seed_person p ON p.id = i.id
              LEFT JOIN seed_story_case sc ON sc.identity_id = i.id
             WHERE i.kind = 'human' AND i.status IN ('leaver', 'disabled')
          ) x
      ) y`,
  );

  // The layoff arrives as one file; other HR terminations in a daily Workday import (a few opened by hand).
  const batches = await exec(
    ctx,
    `
    INSERT INTO leaver_batches (id, name, source, file_name, row_count, created_by_id, created_at)
    SELECT row_number() OVER (ORDER BY b.created_at, b.key), b.name, b.source::leaver_batch_source, b.file_name, b.n, b.created_by, b.created_at
      FROM (
        SELECT 'layoff' AS key, 'Customer Support restructuring (Workday RIF file)' AS name, 'hr_import' AS source,
               'workday-rif-customer-support.csv' AS file_name, count(*)::int AS n, ${ctx.ids.jordan} AS created_by,
               min(opened_at) - interval '2 minutes' AS created_at
          FROM seed_case WHERE reason = 'layoff' HAVING count(*) > 0
        UNION ALL
        SELECT 'day:' || (opened_at AT TIME ZONE 'UTC')::date, 'Workday terminations ' || (opened_at AT TIME ZONE 'UTC')::date, 'hr_import',
               'workday-terminations-' || (opened_at AT TIME ZONE 'UTC')::date || '.csv', count(*)::int, NULL::int, min(opened_at) - interval '2 minutes'
          FROM seed_case WHERE reason <> 'layoff' AND u4 < 0.75 AND identity_id <> ${ctx.ids.ravi}
         GROUP BY (opened_at AT TIME ZONE 'UTC')::date
      ) b`,
  );
  const cases = await exec(
    ctx,
    `
    INSERT INTO leaver_cases (id, identity_id, batch_id, reason, status, last_day, effective_at, sla_due_at, assignee_id, opened_by_id, opened_at)
    SELECT row_number() OVER (ORDER BY c.opened_at, c.identity_id), c.identity_id, b.id, c.reason::leaver_reason,
           c.status::leaver_case_status, c.last_day, c.effective_at, c.sla_due_at, c.assignee_id,
           CASE WHEN b.id IS NULL AND c.identity_id <> ${ctx.ids.ravi} THEN coalesce(c.assignee_id, ${ctx.ids.avery}) END, c.opened_at
      FROM seed_case c
      LEFT JOIN leaver_batches b ON b.name = CASE
             WHEN c.reason = 'layoff' THEN 'Customer Support restructuring (Workday RIF file)'
             WHEN c.u4 < 0.75 AND c.identity_id <> ${ctx.ids.ravi} THEN 'Workday terminations ' || (c.opened_at AT TIME ZONE 'UTC')::date END
     ORDER BY 1`,
  );
  say(ctx, `leaver cases: ${cases} in ${batches} batches`);
  await analyze(ctx, "leaver_cases", "leaver_batches");
}
