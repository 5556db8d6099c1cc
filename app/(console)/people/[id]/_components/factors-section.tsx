import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, StatusBadge } from "@/components/ui/status";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { PersonDetail } from "@/lib/people/person";
import { formatRelative } from "@/lib/time";

export function FactorsSection({
  factors,
  posture,
  now,
}: {
  factors: PersonDetail["factors"];
  posture: PersonDetail["person"]["posture"];
  tz: string;
  now: Date;
}) {
  const active = factors.filter((f) => f.active);
  const weakestRecovery = Math.min(...active.filter((f) => f.usage === "recovery").map((f) => f.strength));
  const gap = posture && posture.recoveryStrength !== null && posture.recoveryStrength < posture.primaryStrength;
  return (
    <Card>
      <CardHeader
        title="Factors"
        description="Effective strength = the weaker of the best primary factor and the weakest recovery path."
        actions={posture ? <StrengthBadge strength={posture.effectiveStrength} /> : null}
      />
      {gap ? (
        <p role="note" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900">
          Fallback gap: the best primary factor is strength {posture.primaryStrength}, but a recovery path of strength{" "}
          {posture.recoveryStrength} lets an attacker around it.
        </p>
      ) : null}
      {factors.length === 0 ? (
        <EmptyState title="No factors enrolled">Password only: strength 0.</EmptyState>
      ) : (
        <Table label="Factors">
          <THead>
            <tr>
              <TH>Factor</TH>
              <TH>Use</TH>
              <TH>Strength</TH>
              <TH>Status · last used</TH>
            </tr>
          </THead>
          <tbody>
            {factors.map((f) => {
              const isWeakest = f.active && f.usage === "recovery" && f.strength === weakestRecovery && gap;
              return (
                <TR key={f.id} className={cn(!f.active && "text-slate-400", isWeakest && "bg-amber-50/70")}>
                  <TD>
                    <p className="font-medium">{humanize(f.type)}</p>
                    <p className="text-xs text-slate-500">{[f.label, f.channel].filter(Boolean).join(" · ")}</p>
                  </TD>
                  <TD>
                    {/* Badges stack under their value in a half-width column rather than widening it. */}
                    <div className="flex flex-wrap items-center gap-1">
                      {humanize(f.usage)}
                      {isWeakest ? <Badge tone="warning">weakest path</Badge> : null}
                    </div>
                  </TD>
                  <TD>
                    <div className="flex flex-wrap items-center gap-1">
                      <StrengthBadge strength={f.strength} compact />
                      {f.phishingResistant ? <Badge tone="success">phishing-resistant</Badge> : null}
                    </div>
                  </TD>
                  <TD>
                    <StatusBadge status={f.active ? "active" : f.status === "active" ? "expired" : f.status} />
                    <p className="mt-0.5 text-xs whitespace-nowrap text-slate-500">
                      {formatRelative(f.lastUsedAt, now)}
                    </p>
                  </TD>
                </TR>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
