import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { GENESIS_HASH, hashEvent } from "./chain";

export type ChainVerification =
  | { ok: true; checked: number; lastId: number | null }
  | { ok: false; checked: number; brokenAt: { id: number; reason: string } };

/** Walks the whole chain in id order, recomputing each hash; reports the first broken link. */
export async function verifyAuditChain(
  db: Db,
  opts: { batchSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<ChainVerification> {
  const batchSize = opts.batchSize ?? 5000;
  let prevHash = GENESIS_HASH;
  let afterId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, afterId))
      .orderBy(asc(auditEvents.id))
      .limit(batchSize);
    for (const row of rows) {
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          checked,
          brokenAt: { id: row.id, reason: "prev_hash does not match the previous event's hash" },
        };
      }
      const expected = hashEvent(row, row.prevHash);
      if (expected !== row.hash) {
        return { ok: false, checked, brokenAt: { id: row.id, reason: "hash does not match the event's contents" } };
      }
      prevHash = row.hash;
      checked++;
    }
    opts.onProgress?.(checked);
    if (rows.length < batchSize) return { ok: true, checked, lastId: rows.at(-1)?.id ?? (afterId || null) };
    afterId = rows[rows.length - 1].id;
  }
}
