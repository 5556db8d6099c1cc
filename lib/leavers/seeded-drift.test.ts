import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { col } from "@/db/rows";
import { ctxAs } from "@/lib/testing/actors";
import { rollback } from "@/lib/testing/db";
import { rowsOf } from "@/lib/testing/sql";
import { checkDriftNow } from "./drift";

describe("the demo organisation's closed cases (acceptance testing: the drift check reopened all six)", () => {
  it("hold when re-verified: the seed's history matches what the simulated targets say", async () => {
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
});
