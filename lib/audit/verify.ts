import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { GENESIS_HASH, hashEvent } from "./chain";
import type { Checkpoint } from "./checkpoint-format";

/**
 * What broke: a link (prev_hash) or an event's contents, found inside the chain; or, found against the signed
 * checkpoints, an event rewritten with every later hash recomputed, events missing in the middle, or the chain cut
 * short. A checkpoint only knows its head, so such a break names the range the first changed event lies in:
 * after `after` (the last event a checkpoint vouched for, null for the start) up to `id`.
 */
type ChainBreak = {
  id: number;
  reason: string;
  kind: "link" | "contents" | "rewritten" | "missing" | "truncated";
  after?: number | null;
  checkpoint?: Pick<Checkpoint, "headId" | "headHash" | "count" | "at">;
};

export type ChainVerification =
  | { ok: true; checked: number; lastId: number | null; lastHash: string | null; checkpoints: number }
  | { ok: false; checked: number; brokenAt: ChainBreak };

type Options = {
  batchSize?: number;
  onProgress?: (checked: number) => void;
  /** Signed checkpoints (their signatures already verified): each event they name must be there with that hash. */
  checkpoints?: readonly Checkpoint[];
  /** Start after an event a checkpoint vouches for, instead of at the first event (the checkpoint writer). */
  start?: { id: number; hash: string; count: number };
};

const cut = (cp: Checkpoint): ChainBreak["checkpoint"] => ({
  headId: cp.headId,
  headHash: cp.headHash,
  count: cp.count,
  at: cp.at,
});

/**
 * Walks the chain in id order, recomputing each hash, and holds it against the checkpoints; reports the first break.
 * `checked` counts the events walked.
 */
export async function verifyAuditChain(db: Db, opts: Options = {}): Promise<ChainVerification> {
  const batchSize = opts.batchSize ?? 5000;
  const pending = [...(opts.checkpoints ?? [])]
    .filter((cp) => !opts.start || cp.headId > opts.start.id)
    .sort((a, b) => a.headId - b.headId);
  let prevHash = opts.start?.hash ?? GENESIS_HASH;
  let afterId = opts.start?.id ?? 0;
  /** Events from the start of the chain up to here (what a checkpoint's count says). */
  let position = opts.start?.count ?? 0;
  let vouchedUpTo: number | null = opts.start?.id ?? null;
  let checked = 0;
  let matched = 0;
  const fail = (brokenAt: ChainBreak): ChainVerification => ({ ok: false, checked, brokenAt });
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, afterId))
      .orderBy(asc(auditEvents.id))
      .limit(batchSize);
    for (const row of rows) {
      const due = pending[0];
      if (due && due.headId < row.id) {
        return fail({
          id: due.headId,
          kind: "missing",
          after: vouchedUpTo,
          checkpoint: cut(due),
          reason: `event #${due.headId}, signed in the checkpoint of ${due.at}, is missing: events after #${vouchedUpTo ?? 0} were deleted`,
        });
      }
      if (row.prevHash !== prevHash) {
        return fail({ id: row.id, kind: "link", reason: "prev_hash does not match the previous event's hash" });
      }
      if (hashEvent(row, row.prevHash) !== row.hash) {
        return fail({ id: row.id, kind: "contents", reason: "hash does not match the event's contents" });
      }
      prevHash = row.hash;
      position++;
      checked++;
      while (pending[0]?.headId === row.id) {
        const cp = pending.shift()!;
        if (cp.headHash !== row.hash || cp.count !== position) {
          const what =
            cp.headHash !== row.hash
              ? `its hash differs from the checkpoint signed at ${cp.at}`
              : `${position} events lead up to it, the checkpoint signed at ${cp.at} counted ${cp.count}`;
          return fail({
            id: row.id,
            kind: "rewritten",
            after: vouchedUpTo,
            checkpoint: cut(cp),
            reason: `event #${row.id}: ${what}: the chain was rewritten from an event after #${vouchedUpTo ?? 0} up to #${row.id}, and the later hashes recomputed`,
          });
        }
        vouchedUpTo = row.id;
        matched++;
      }
    }
    opts.onProgress?.(checked);
    if (rows.length < batchSize) {
      const lastId = rows.at(-1)?.id ?? (afterId || null);
      const beyond = pending.at(-1);
      if (beyond) {
        return fail({
          id: beyond.headId,
          kind: "truncated",
          after: lastId,
          checkpoint: cut(beyond),
          reason: `the chain ends at event #${lastId ?? 0} (${position} events), but the checkpoint signed at ${beyond.at} vouches for ${beyond.count} events up to #${beyond.headId}: the chain was cut short`,
        });
      }
      return { ok: true, checked, lastId, lastHash: lastId === null ? null : prevHash, checkpoints: matched };
    }
    afterId = rows[rows.length - 1].id;
  }
}
