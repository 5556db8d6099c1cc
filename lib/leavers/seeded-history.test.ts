import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { MAX_ATTEMPTS } from "@/lib/remediation/model";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { checkDriftNow } from "./drift";

describe("the demo organisation's leaver history is one the engine could have written", () => {
  it("closed cases hold when re-verified (acceptance testing: the drift check reopened all six)", async () => {
    await rollback(async (db) => {
      const analyst = await ctxAs(db, ["analyst"]);
      const closed = await rowsOf(
        db,
        sql`SELECT id FROM leaver_cases WHERE status = 'closed' AND cancelled_at IS NULL ORDER BY id LIMIT 6`,
        { id: col.int },
      );
      expect(closed).toHaveLength(6);
      for (const c of closed) {
        const result = await checkDriftNow(analyst, { caseId: c.id });
        expect(result.checked, `case ${c.id}`).toBeGreaterThan(0);
        expect(result, `case ${c.id}`).toMatchObject({ drifted: 0 });
      }
      const [still] = await rowsOf(
        db,
        sql`SELECT count(*)::int AS n FROM leaver_cases WHERE id = ANY(${`{${closed.map((c) => c.id).join(",")}}`}::int[]) AND status = 'closed'`,
        { n: col.int },
      );
      expect(still.n).toBe(6);
    });
  });

  it("a failed task with no next attempt has used every attempt, and no error promises an attempt that is not queued", async () => {
    await rollback(async (db) => {
      const failed = await rowsOf(
        db,
        sql`SELECT id, attempts, last_error FROM remediation_tasks
             WHERE state = 'failed' AND not_before IS NULL AND error_retryable IS DISTINCT FROM false`,
        { id: col.int, attempts: col.int, last_error: col.textOrNull },
      );
      expect(failed.length).toBeGreaterThan(0);
      for (const t of failed) {
        expect(t.attempts, `task ${t.id}`).toBe(MAX_ATTEMPTS);
        expect(t.last_error ?? "", `task ${t.id}`).not.toMatch(/next attempt/i);
      }
    });
  });
});
