import "server-only";
import type { Ctx } from "@/lib/context";
import { transact } from "@/lib/context";
import { csvResponse } from "@/lib/csv";
import type { AuditedEventName } from "@/lib/events/catalog";
import { writeAudit } from "./write";

/**
 * Records who exported what (personal data leaves the console): the file and the filters that chose its rows,
 * before the first byte is sent. Unguarded: the export's route handler has authorized its caller.
 */
async function recordExport(
  ctx: Ctx,
  input: { event: AuditedEventName; file: string; filters: Record<string, unknown> },
): Promise<void> {
  await transact(ctx, (tx) =>
    writeAudit(tx, {
      action: input.event,
      target: { type: "export", id: input.file },
      after: { filters: Object.fromEntries(Object.entries(input.filters).filter(([, v]) => v !== undefined)) },
    }),
  );
}

/**
 * Every CSV export of records: the audit log says who exported which file with which filters (in its own
 * transaction, before streaming starts), then the rows stream out in keyset batches.
 */
export async function exportCsv(
  ctx: Ctx,
  spec: {
    event: AuditedEventName;
    file: string;
    filters: Record<string, unknown>;
    header: string[];
    rows: AsyncIterable<unknown[]>;
  },
): Promise<Response> {
  await recordExport(ctx, { event: spec.event, file: spec.file, filters: spec.filters });
  return csvResponse(spec.file, spec.header, spec.rows);
}
