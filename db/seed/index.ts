import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { seedAudit } from "./audit";
import { seedBreakGlass } from "./break-glass";
import { exec, type SeedCtx, say, withSecondaryIndexesDeferred } from "./context";
import { deferCredentialRisk, seedCredentialRisk } from "./credential-risk";
import { seedCredentials } from "./credentials";
import { seedFactors } from "./factors";
import { seedLeaverFollowUp } from "./leaver-followup";
import { seedRevocationTasks } from "./leaver-tasks";
import { seedLeaverCases } from "./leavers";
import { seedOrg } from "./org";
import { seedPolicies } from "./policies";
import { deferPosture, seedKpiHistory, seedPosture } from "./posture";
import { seedReviews } from "./reviews";
import { SCALES, type Scale } from "./scale";
import { seedSessions } from "./sessions";
import { seedSystems } from "./systems";

export type { Scale } from "./scale";

export type SeedOptions = {
  scale: Scale;
  /** Every timestamp is an offset from this; defaults to the current time rounded down to the hour. */
  now?: Date;
  log?: (line: string) => void;
};

export type SeedSummary = {
  scale: Scale;
  now: string;
  seconds: number;
  /** Rows per table after the seed. */
  counts: Record<string, number>;
};

/** Tables reported in the summary, in the order a reader expects them. */
export const SEED_TABLES = [
  "departments",
  "identities",
  "console_roles",
  "systems",
  "entitlements",
  "accounts",
  "grants",
  "app_sessions",
  "trusted_devices",
  "authenticators",
  "credentials",
  "api_endpoints",
  "credential_scope_usage",
  "sla_policies",
  "settings",
  "leaver_batches",
  "leaver_cases",
  "remediation_tasks",
  "review_campaigns",
  "review_items",
  "remediation_drift_checks",
  "simulated_target_state",
  "break_glass_requests",
  "break_glass_approvals",
  "audit_events",
  "identity_posture",
  "posture_snapshots",
  "credential_risk",
  "credential_risk_counts",
  "kpi_snapshots",
] as const;

function defaultSeedNow(): Date {
  const d = new Date();
  d.setUTCMinutes(0, 0, 0);
  return d;
}

/** True when the database holds no identities (a fresh install the app may seed); also true before migrations. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const first = async (q: ReturnType<typeof sql>) =>
    ((await db.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows[0];
  const table = await first(sql`SELECT to_regclass('public.identities') IS NOT NULL AS present`);
  if (!table?.present) return true;
  return Boolean((await first(sql`SELECT NOT EXISTS (SELECT 1 FROM identities) AS empty`))?.empty);
}

/** Steps insert explicit ids where rows refer to each other by arithmetic; move the sequences past them. */
async function resetSequences(ctx: SeedCtx): Promise<void> {
  for (const t of [
    "departments",
    "identities",
    "systems",
    "entitlements",
    "leaver_batches",
    "leaver_cases",
    "break_glass_requests",
  ]) {
    await exec(ctx, `SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
  }
}

async function countRows(db: Db): Promise<Record<string, number>> {
  const res = (await db.execute(
    sql.raw(`SELECT ${SEED_TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(", ")}`),
  )) as unknown as { rows: Record<string, number>[] };
  return Object.fromEntries(SEED_TABLES.map((t) => [t, Number(res.rows[0][t])]));
}

/**
 * Builds the Tidewater Systems organisation in one transaction (all or nothing): set-based SQL for the
 * population, the demo story on top, then the audit history and the posture rollup. Deterministic: the same
 * scale and `now` give the same rows.
 */
export async function seed(db: Db, opts: SeedOptions): Promise<SeedSummary> {
  const now = opts.now ?? defaultSeedNow();
  const log = opts.log ?? (() => {});
  const startedAt = Date.now();
  const base = {
    scale: opts.scale,
    p: SCALES[opts.scale],
    now,
    NOW: `'${now.toISOString()}'::timestamptz`,
    log,
    startedAt,
    ids: {},
  };
  await db.transaction(async (tx) => {
    const ctx: SeedCtx = { ...base, db: tx as unknown as Db };
    say(ctx, `seeding scale=${opts.scale} now=${now.toISOString()}`);
    if (opts.scale === "large") await exec(ctx, "SET LOCAL work_mem = '256MB'");
    await deferCredentialRisk(ctx);
    await deferPosture(ctx);
    await seedOrg(ctx);
    await seedSystems(ctx);
    await seedSessions(ctx);
    await seedFactors(ctx);
    await withSecondaryIndexesDeferred(ctx, ["credentials"], () => seedCredentials(ctx));
    await seedPolicies(ctx);
    await seedLeaverCases(ctx);
    await seedRevocationTasks(ctx);
    await seedLeaverFollowUp(ctx);
    await seedBreakGlass(ctx);
    await seedPosture(ctx);
    await seedCredentialRisk(ctx);
    // After the rollups: the generator reads credential_risk, and the revocations it plays keep both rollups current.
    await seedReviews(ctx);
    await seedKpiHistory(ctx);
    await resetSequences(ctx);
    await seedAudit(ctx);
    // Closed campaigns are stamped with their close event, as a close does (lib/reviews/commands/close.ts).
    await exec(
      ctx,
      `UPDATE review_campaigns c SET evidence = jsonb_build_object('headId', e.id, 'headHash', e.hash, 'closedAt', c.closed_at)
         FROM audit_events e WHERE c.status = 'closed' AND e.action = 'review.campaign_close' AND e.target_id = c.id::text`,
    );
  });
  const ctx: SeedCtx = { ...base, db };
  if (opts.scale === "large") {
    say(ctx, "ANALYZE");
    await exec(ctx, "ANALYZE");
  }
  const counts = await countRows(db);
  const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
  say(ctx, `done in ${seconds}s`);
  return { scale: opts.scale, now: now.toISOString(), seconds, counts };
}
