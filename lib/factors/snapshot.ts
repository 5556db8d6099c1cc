import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { affectedRows, type Db, queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { writeKpiHistory } from "@/lib/dashboard/history";

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Rows whose next_change_at has come (a factor or a privileged grant expired with nobody writing) are
 * recomputed as of `now`. Every other change reaches the rollup through the database triggers.
 */
export async function refreshDuePostures(db: Db, now: Date): Promise<number> {
  const at = now.toISOString();
  const [due] = await queryRows(
    db,
    sql`
    WITH due AS (SELECT array_agg(identity_id) AS ids FROM identity_posture WHERE next_change_at <= ${at}::timestamptz)
    SELECT coalesce(cardinality(ids), 0)::int AS n, refresh_identity_posture(coalesce(ids, '{}'::int[]), ${at}::timestamptz) FROM due`,
    z.object({ n: col.int }),
  );
  return due?.n ?? 0;
}

/**
 * Today's posture distribution (posture_snapshots) and today's dashboard figures (kpi_snapshots), replacing
 * whatever an earlier run wrote today: idempotent per day, so running it every hour keeps today's point
 * current and the last run of the day leaves the day's closing state. One transaction.
 */
export async function writeDailySnapshot(
  db: Db,
  now: Date,
): Promise<{ day: string; postureRows: number; kpiRows: number }> {
  const day = utcDay(now);
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await refreshDuePostures(t, now);
    await t.execute(sql`DELETE FROM posture_snapshots WHERE day = ${day}::date`);
    const postureRows = await affectedRows(
      t,
      sql`
      INSERT INTO posture_snapshots (day, department_id, primary_strength, effective_strength, privileged, phishing_resistant, people)
      SELECT ${day}::date, department_id, primary_strength, effective_strength, privileged, phishing_resistant, people
        FROM identity_posture_counts
       WHERE department_id <> 0 AND people > 0`,
    );
    const kpiRows = await writeKpiHistory(t, { from: day, to: day, now });
    return { day, postureRows, kpiRows };
  });
}
