import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, StatusBadge } from "@/components/ui/status";
import type { PersonDetail } from "@/lib/people/person";
import { formatDateTime, formatRelative } from "@/lib/time";

export function CasesSection({
  cases,
  breakGlass,
  tz,
  now,
}: {
  cases: PersonDetail["cases"];
  breakGlass: PersonDetail["breakGlass"];
  tz: string;
  now: Date;
}) {
  return (
    <Card>
      <CardHeader title="Cases and requests" description="Leaver cases and break-glass requests about this identity." />
      {cases.length === 0 && breakGlass.length === 0 ? (
        <EmptyState title="No leaver cases or break-glass requests" />
      ) : (
        <ul className="divide-y divide-slate-100">
          {cases.map((c) => (
            <li key={`case-${c.id}`} className="flex items-center justify-between gap-3 px-4 py-2.5">
              <div>
                <Link href={`/leavers/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                  Leaver case #{c.id} · {humanize(c.reason)}
                </Link>
                <p className="text-xs text-slate-500">
                  Effective {formatDateTime(c.effectiveAt, tz)} · SLA{" "}
                  {c.slaDueAt < now && c.status !== "closed" ? "breached " : ""}
                  {formatRelative(c.slaDueAt, now)} · {c.tasksVerified}/{c.tasksTotal} verified
                </p>
              </div>
              <StatusBadge status={c.status} />
            </li>
          ))}
          {breakGlass.map((r) => (
            <li key={`bg-${r.id}`} className="flex items-center justify-between gap-3 px-4 py-2.5">
              <div>
                <Link href="/break-glass" className="font-medium text-indigo-700 hover:underline">
                  Break-glass #{r.id} · {humanize(r.kind)}
                </Link>
                <p className="line-clamp-1 text-xs text-slate-500">
                  {formatDateTime(r.createdAt, tz)} · {r.reason}
                </p>
              </div>
              <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
