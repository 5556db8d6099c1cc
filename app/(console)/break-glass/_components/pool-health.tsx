import { CircleAlert, CircleCheck } from "lucide-react";
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { type BreakGlassKind, unmetApprovals } from "@/lib/break-glass/rules";

export type PoolHealth = {
  approvers: number;
  ready: number;
  weak: number;
  inactive: number;
  required: number;
  canBeMet: boolean;
  canBeMetFor: Record<BreakGlassKind, boolean>;
  problems: string[];
};

/**
 * Whether the approval policy can be met today, before anyone needs it: approvers who could approve (active, AAL2
 * or better) against what the policy asks, and each problem in words. Aggregates only: no names.
 */
export function PoolHealthCard({ health, editable }: { health: PoolHealth; editable: boolean }) {
  const ok = health.canBeMet && health.problems.length === 0;
  const Icon = ok ? CircleCheck : CircleAlert;
  return (
    <Card className={cn(!health.canBeMet && "border-red-300", health.canBeMet && !ok && "border-amber-300")}>
      <CardHeader
        title={
          <span className="flex items-center gap-1.5">
            <Icon
              className={cn("size-4", ok ? "text-emerald-600" : health.canBeMet ? "text-amber-600" : "text-red-600")}
              aria-hidden
            />
            Approver pool health
          </span>
        }
        description={
          health.canBeMet
            ? "The approval policy can be met today."
            : `${unmetApprovals(health.canBeMetFor)} cannot be met today: such a request would lapse.`
        }
        actions={
          editable ? (
            <Link href="/break-glass/policy" className="text-xs text-indigo-700 hover:underline">
              Policy
            </Link>
          ) : null
        }
      />
      <CardBody>
        <dl className="grid grid-cols-3 gap-3 text-center" data-testid="pool-health">
          <div>
            <dt className="text-[11px] text-slate-500">Can approve today</dt>
            <dd
              className={cn(
                "text-xl font-semibold tabular-nums",
                health.ready < health.required ? "text-red-700" : "text-slate-900",
              )}
            >
              {health.ready}
              <span className="text-sm font-normal text-slate-500"> of {health.approvers}</span>
            </dd>
          </div>
          <div>
            <dt className="text-[11px] text-slate-500">Policy needs</dt>
            <dd className="text-xl font-semibold text-slate-900 tabular-nums">{health.required}</dd>
          </div>
          <div title="Approvers below AAL2, and approvers who are leavers or disabled but still hold the role">
            <dt className="text-[11px] text-slate-500">Not ready</dt>
            <dd
              className={cn(
                "text-xl font-semibold tabular-nums",
                health.weak + health.inactive ? "text-amber-700" : "text-slate-900",
              )}
            >
              {health.weak + health.inactive}
            </dd>
          </div>
        </dl>
        {health.problems.length ? (
          <ul className="mt-3 space-y-1 text-sm">
            {health.problems.map((p) => (
              <li key={p} className="flex gap-1.5 text-slate-800">
                <CircleAlert
                  className={cn("mt-0.5 size-3.5 shrink-0", health.canBeMet ? "text-amber-600" : "text-red-600")}
                  aria-hidden
                />
                {p}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-3 text-xs text-slate-600">
            Enough approvers at AAL2 or better, with a spare for when one is the subject's manager or away.
          </p>
        )}
      </CardBody>
    </Card>
  );
}
