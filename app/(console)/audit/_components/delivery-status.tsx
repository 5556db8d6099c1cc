import { Card, CardHeader } from "@/components/ui/card";
import type { ConsumerStatus } from "@/lib/events/status";
import { formatDateTime } from "@/lib/time";

/** What the outbox still owes each consumer of events (Shared Signals, notifications): shown only when there are any. */
export function DeliveryStatus({ consumers, tz }: { consumers: ConsumerStatus[]; tz: string }) {
  if (consumers.length === 0) return null;
  return (
    <Card className="mb-4">
      <CardHeader
        title="Event delivery"
        description="Events written beside the audit log, delivered to each consumer with retries; dead ones need a look."
      />
      <table className="w-full text-sm" aria-label="Event delivery">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="px-4 py-2 font-medium">Consumer</th>
            <th className="px-4 py-2 text-right font-medium">Pending</th>
            <th className="px-4 py-2 text-right font-medium">Delivered</th>
            <th className="px-4 py-2 text-right font-medium">Dead</th>
            <th className="px-4 py-2 font-medium">Oldest pending</th>
            <th className="px-4 py-2 font-medium">Last error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {consumers.map((c) => (
            <tr key={c.consumer}>
              <td className="px-4 py-2 font-medium text-slate-900">{c.consumer}</td>
              <td className="px-4 py-2 text-right tabular-nums">{c.pending}</td>
              <td className="px-4 py-2 text-right tabular-nums">{c.delivered}</td>
              <td className={`px-4 py-2 text-right tabular-nums ${c.dead ? "font-semibold text-red-700" : ""}`}>
                {c.dead}
              </td>
              <td className="px-4 py-2 text-slate-600">
                {c.oldestPendingAt ? formatDateTime(c.oldestPendingAt, tz) : "—"}
              </td>
              <td className="max-w-xs truncate px-4 py-2 text-xs text-slate-600" title={c.lastError ?? undefined}>
                {c.lastError ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
