import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { humanize, StatusBadge } from "@/components/ui/status";
import type { PersonDetail } from "@/lib/people/person";

export function OwnedSection({ owned }: { owned: PersonDetail["owned"] }) {
  return (
    <Card>
      <CardHeader
        title={`Non-human identities owned (${owned.length})`}
        description="This person answers for these; when they leave, ownership must be handed over."
      />
      <ul className="divide-y divide-slate-100">
        {owned.map((o) => (
          <li key={o.id} className="flex items-center justify-between px-4 py-2">
            <span>
              <Link href={`/people/${o.id}`} className="font-medium text-indigo-700 hover:underline">
                {o.name}
              </Link>
              <span className="ml-2 text-xs text-slate-500">{humanize(o.kind)}</span>
            </span>
            <StatusBadge status={o.status} />
          </li>
        ))}
      </ul>
    </Card>
  );
}
