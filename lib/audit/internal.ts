import "server-only";
import type { Ctx } from "@/lib/context";
import { transact } from "@/lib/context";
import type { AuditedEventName } from "@/lib/events/catalog";
import { writeAudit } from "./write";

/**
 * Records who exported what (personal data leaves the console): the file and the filters that chose its rows,
 * before the first byte is sent. Unguarded: the export's route handler has authorized its caller.
 */
export async function recordExport(
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
