import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { CellFactor, CellPerson } from "@/lib/factors/people";
import { FACTOR_TYPE_LABELS } from "@/lib/factors/strength";
import { formatDateTime, formatRelative } from "@/lib/time";

/** One factor as a chip: type, use, strength; the limiting one (weakest path) stands out in amber with words. */
function FactorChip({ f }: { f: CellFactor }) {
  return (
    <li
      className={cn(
        "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs ring-1 ring-inset",
        f.limiting ? "bg-amber-50 text-amber-950 ring-amber-400" : "bg-slate-50 text-slate-700 ring-slate-200",
      )}
      title={[f.label, f.channel].filter(Boolean).join(" · ") || undefined}
      data-limiting={f.limiting || undefined}
    >
      <StrengthBadge strength={f.strength} compact />
      <span className="font-medium">{FACTOR_TYPE_LABELS[f.type]}</span>
      <span className="text-slate-500">{f.usage === "recovery" ? "recovery" : "sign-in"}</span>
      {f.limiting ? <span className="font-semibold text-amber-800">· weakest path</span> : null}
    </li>
  );
}

export function CellPeopleTable({
  people,
  tz,
  now,
  linkPeople,
}: {
  people: CellPerson[];
  tz: string;
  now: Date;
  linkPeople: boolean;
}) {
  return (
    <Table label="People in this cell">
      <THead>
        <tr>
          <TH>Person</TH>
          <TH>Department</TH>
          <TH>Strength</TH>
          <TH>Active factors</TH>
          <TH>Last factor use</TH>
        </tr>
      </THead>
      <tbody>
        {people.map((p) => (
          <TR key={p.id}>
            <TD>
              <div className="flex items-center gap-1.5">
                {linkPeople ? (
                  <Link href={`/people/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                    {p.name}
                  </Link>
                ) : (
                  <span className="font-medium">{p.name}</span>
                )}
                {p.privileged ? (
                  <Badge tone="danger">
                    <ShieldAlert className="size-3" aria-hidden /> privileged
                  </Badge>
                ) : null}
              </div>
              <p className="text-xs text-slate-500">{[p.email, p.title].filter(Boolean).join(" · ") || "—"}</p>
            </TD>
            <TD className="text-sm">{p.department ?? "—"}</TD>
            <TD>
              <StrengthBadge strength={p.effectiveStrength} />
              <p className="mt-0.5 text-[11px] whitespace-nowrap text-slate-500">
                sign-in {p.primaryStrength} · recovery {p.recoveryStrength ?? "none"}
              </p>
            </TD>
            <TD>
              {p.factors.length ? (
                <ul className="flex max-w-xl flex-wrap gap-1" aria-label={`Factors of ${p.name}`}>
                  {p.factors.map((f) => (
                    <FactorChip key={f.id} f={f} />
                  ))}
                </ul>
              ) : (
                <span className="text-xs text-red-700">No active factor: password only</span>
              )}
            </TD>
            <TD
              className="text-xs whitespace-nowrap"
              title={p.lastUsedAt ? formatDateTime(p.lastUsedAt, tz) : undefined}
            >
              {p.lastUsedAt ? (
                <>
                  <p>{formatRelative(p.lastUsedAt, now)}</p>
                  <p className="text-slate-500">{formatDateTime(p.lastUsedAt, tz)}</p>
                </>
              ) : (
                "never"
              )}
            </TD>
          </TR>
        ))}
      </tbody>
    </Table>
  );
}
