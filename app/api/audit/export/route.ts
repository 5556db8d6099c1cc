import { exportCsv } from "@/lib/audit/internal";
import { listAuditEvents } from "@/lib/audit/queries";
import { auditFilters } from "@/lib/audit/schemas";
import { allPages, utc } from "@/lib/csv";
import { defineRoute } from "@/lib/edge/route";
import { timeZoneFromCookieHeader } from "@/lib/time";

const HEADER = [
  "id",
  "occurred_at_utc",
  "actor_id",
  "actor",
  "action",
  "target_type",
  "target_id",
  "target",
  "before",
  "after",
  "prev_hash",
  "hash",
];

export const GET = defineRoute({
  name: "audit.export",
  permission: "audit.read",
  rateLimit: "export",
  query: auditFilters,
  async handler({ ctx, request, query: filters }) {
    // Date filters mean the same days the viewer saw on the page; timestamps in the file are UTC.
    const tz = timeZoneFromCookieHeader(request.headers.get("cookie"));
    async function* rows() {
      for await (const e of allPages((after) => listAuditEvents(ctx, { ...filters, after, limit: 1000 }, tz))) {
        yield [
          e.id,
          utc(e.occurredAt),
          e.actorId,
          e.actorLabel,
          e.action,
          e.targetType,
          e.targetId,
          e.targetLabel,
          JSON.stringify(e.before),
          JSON.stringify(e.after),
          e.prevHash,
          e.hash,
        ];
      }
    }
    const file = `audit-${ctx.now.toISOString().slice(0, 10)}.csv`;
    return exportCsv(ctx, { event: "audit.export", file, filters, header: HEADER, rows: rows() });
  },
});
