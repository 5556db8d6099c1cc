import { sql } from "drizzle-orm";
import { writeKpiHistory } from "@/lib/dashboard/history";
import { exec, type SeedCtx, say } from "./context";

/**
 * The posture rollup (identity_posture, kept by database triggers: migration 0007) and 180 days of daily
 * snapshots. The triggers are deferred for the bulk load (`deferPosture` at the start of the seed), so the
 * rollup is filled once here with the same function the triggers call.
 *
 * History is not invented separately: it is replayed from the authenticators themselves (enrolment dates, and
 * the revoked factors that upgrades replaced), clipped to each person's employment. Per person we cut the
 * window into segments where nothing changed, then turn segments into +1/−1 deltas per (department,
 * strengths, privileged, phishing-resistant) and run a cumulative sum over the days, so the cost follows the
 * number of changes, not people × days. Strength comes from the SQL functions generated from
 * lib/factors/strength.ts, the same rules the rollup uses.
 */
const strength = "factor_strength(a.type, a.usage, a.user_verification)";

export async function deferPosture(ctx: SeedCtx): Promise<void> {
  await exec(ctx, "SET LOCAL lockstep.defer_posture = 'on'");
}

export async function seedPosture(ctx: SeedCtx): Promise<void> {
  await exec(ctx, "SET LOCAL lockstep.defer_posture = 'off'");
  await exec(ctx, sql`SELECT refresh_identity_posture(NULL, ${ctx.now.toISOString()}::timestamptz)`);
  say(ctx, "identity posture rollup refreshed");
  const today = `(${ctx.NOW} AT TIME ZONE 'UTC')::date`;
  const start = `(${today} - 179)`;
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_seg ON COMMIT DROP AS
    SELECT id, d AS from_day, coalesce(lead(d) OVER (PARTITION BY id ORDER BY d), ${today} + 1) AS to_day
      FROM (
        SELECT id, ${start} AS d FROM identities WHERE kind = 'human'
        UNION
        SELECT a.identity_id, (a.enrolled_at AT TIME ZONE 'UTC')::date FROM authenticators a
         WHERE (a.enrolled_at AT TIME ZONE 'UTC')::date > ${start}
        UNION
        SELECT a.identity_id, (a.last_used_at AT TIME ZONE 'UTC')::date FROM authenticators a
         WHERE a.status = 'revoked' AND (a.last_used_at AT TIME ZONE 'UTC')::date > ${start}
      ) b`,
  );
  // A day's snapshot is the state at the end of that day (or now, for today).
  const at = `least(((s.from_day + 1)::timestamp AT TIME ZONE 'UTC'), ${ctx.NOW})`;
  const live = `a.enrolled_at <= ${at}
                AND (a.status = 'active' OR (a.status = 'revoked' AND a.last_used_at > ${at}) OR a.status = 'expired')
                AND (a.expires_at IS NULL OR a.expires_at > ${at})`;
  await exec(
    ctx,
    `CREATE TEMP TABLE seed_state ON COMMIT DROP AS
    SELECT x.department_id AS dept, x.p, least(x.p, coalesce(x.r, x.p)) AS e, x.priv, x.pr,
           greatest(x.from_day, x.hire_date) AS from_day,
           least(x.to_day, coalesce(x.termination_date, x.to_day)) AS to_day
      FROM (
        SELECT s.id, s.from_day, s.to_day, i.department_id, i.hire_date, i.termination_date, ip.has_privileged AS priv,
               coalesce(max(${strength}) FILTER (WHERE a.usage = 'primary' AND ${live}), 0) AS p,
               min(${strength}) FILTER (WHERE a.usage = 'recovery' AND ${live}) AS r,
               coalesce(bool_or(factor_phishing_resistant(a.type, a.user_verification)) FILTER (WHERE a.usage = 'primary' AND ${live}), false) AS pr
          FROM seed_seg s
          JOIN identities i ON i.id = s.id
          JOIN identity_posture ip ON ip.identity_id = s.id
          LEFT JOIN authenticators a ON a.identity_id = s.id
         GROUP BY s.id, s.from_day, s.to_day, i.department_id, i.hire_date, i.termination_date, ip.has_privileged
      ) x
     WHERE x.department_id IS NOT NULL`,
  );
  const n = await exec(
    ctx,
    `
    INSERT INTO posture_snapshots (day, department_id, primary_strength, effective_strength, privileged, phishing_resistant, people)
    SELECT day, dept, p, e, priv, pr, people FROM (
      SELECT g.day::date AS day, k.dept, k.p, k.e, k.priv, k.pr,
             sum(coalesce(d.delta, 0)) OVER (PARTITION BY k.dept, k.p, k.e, k.priv, k.pr ORDER BY g.day) AS people
        FROM (SELECT DISTINCT dept, p, e, priv, pr FROM seed_state) k
        CROSS JOIN generate_series(${start}::timestamp, ${today}::timestamp, interval '1 day') g(day)
        LEFT JOIN (
          SELECT dept, p, e, priv, pr, day, sum(delta) AS delta FROM (
            SELECT dept, p, e, priv, pr, from_day AS day, 1 AS delta FROM seed_state WHERE from_day < to_day
            UNION ALL
            SELECT dept, p, e, priv, pr, to_day, -1 FROM seed_state WHERE from_day < to_day AND to_day <= ${today}
          ) z GROUP BY dept, p, e, priv, pr, day
        ) d ON d.dept = k.dept AND d.p = k.p AND d.e = k.e AND d.priv = k.priv AND d.pr = k.pr AND d.day = g.day::date
    ) t
    WHERE people > 0
    ORDER BY day, dept, p, e, priv, pr`,
  );
  say(ctx, `posture snapshots: ${n.toLocaleString("en-US")} rows over 180 days`);
}

/**
 * The dashboard's trend lines: the same 180 days, replayed from the seeded timestamps (lib/dashboard/history.ts).
 * Runs last, once every pillar is seeded: the review-completion line needs the campaigns, which come after the rollups.
 */
export async function seedKpiHistory(ctx: SeedCtx): Promise<void> {
  const day = (offset: number) => new Date(ctx.now.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
  const k = await writeKpiHistory(ctx.db, { from: day(179), to: day(0), now: ctx.now });
  say(ctx, `dashboard history: ${k.toLocaleString("en-US")} daily figures`);
}

/** Effective strength of one identity right now, as a SQL scalar (same rule as the rollup). */
export function effectiveStrengthSql(ctx: SeedCtx, id: string): string {
  const live = `a.identity_id = ${id} AND a.status = 'active' AND (a.expires_at IS NULL OR a.expires_at > ${ctx.NOW})`;
  return `(SELECT least(coalesce(max(${strength}) FILTER (WHERE a.usage = 'primary'), 0),
                        coalesce(min(${strength}) FILTER (WHERE a.usage = 'recovery'),
                                 coalesce(max(${strength}) FILTER (WHERE a.usage = 'primary'), 0)))
             FROM authenticators a WHERE ${live})`;
}
