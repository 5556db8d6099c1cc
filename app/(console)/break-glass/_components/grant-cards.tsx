import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status";
import { type Actor, can } from "@/lib/authz";
import type { BreakGlassDetail } from "@/lib/break-glass/detail";
import { FACTOR_TYPE_LABELS, STRENGTH_LABELS, type Strength } from "@/lib/factors/strength";
import { ACTION_LABELS } from "@/lib/remediation/model";
import type { TaskRow as Task } from "@/lib/remediation/queries";
import { formatDateTime } from "@/lib/time";
import { TaskRow } from "../../_remediation/task-row";

/**
 * The emergency grant at the connected system, as remediation tasks: the add (with its expiry), and the removal when
 * it ends — each executed by the system's connector and verified by re-reading it. Simulated connectors say so.
 */
export function TasksCard({
  tasks,
  summary,
  system,
  tz,
  now,
  meId,
  actor,
}: {
  /** Full rows for those who may read the engine's tasks; null for the subject, who sees the summary. */
  tasks: Task[] | null;
  summary: BreakGlassDetail["tasks"];
  system: string | null;
  tz: string;
  now: Date;
  meId: number | null;
  actor: Actor;
}) {
  const simulated = tasks ? tasks.some((t) => t.systemSimulated || t.simulated) : summary.some((t) => t.simulated);
  return (
    <Card>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            The grant at {system ?? "the system"}
            {simulated ? <Badge tone="violet">Simulated</Badge> : null}
          </span>
        }
        description={
          simulated
            ? "This system's connector acts on an in-process stand-in, not the real system."
            : "Made by the system's connector and verified by re-reading it; removed the same way when it ends."
        }
      />
      {summary.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-500">
          Nothing granted yet: the grant is made at the system once the approvals meet the policy.
        </p>
      ) : tasks ? (
        <ul className="divide-y divide-slate-100" aria-label="Remediation tasks">
          {tasks.map((t) => (
            <TaskRow
              key={t.id}
              t={t}
              tz={tz}
              now={now}
              actions={{
                closed: false,
                meId,
                can: {
                  manage: can(actor, "remediation.manage"),
                  waive: can(actor, "remediation.waive"),
                  handover: false,
                },
              }}
            />
          ))}
        </ul>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Remediation tasks">
          {summary.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5">
              <div>
                <p className="text-sm font-medium text-slate-900">{ACTION_LABELS[t.action]}</p>
                <p className="text-xs text-slate-600">{t.label}</p>
              </div>
              <span className="flex items-center gap-2 text-xs text-slate-500">
                {t.simulated ? <Badge tone="violet">Simulated</Badge> : null}
                <StatusBadge status={t.state} />
                {t.verification ?? formatDateTime(t.updatedAt, tz)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function passState(
  p: BreakGlassDetail["passes"][number],
  now: Date,
): { label: string; tone: "success" | "neutral" | "danger" | "info" } {
  if (p.usedAt) return { label: "Used", tone: "success" };
  if (p.voidedAt) return { label: "Withdrawn", tone: "danger" };
  if (p.expiresAt < now) return { label: "Expired unused", tone: "neutral" };
  return { label: "Usable once", tone: "info" };
}

const IDP_FIELDS = ["id", "lifetimeInMinutes", "isUsableOnce", "methodUsabilityReason", "minimumStrength"] as const;

/**
 * The recovery's one-time enrolment pass: where it works (Lockstep for console users; the organisation's IdP —
 * simulated here — for everyone else), the weakest factor it accepts, and whether it was used. Never its secret:
 * only a hash is kept, and the secret was shown once, to the approver whose approval issued it.
 */
export function PassesCard({
  passes,
  subject,
  tz,
  now,
}: {
  passes: BreakGlassDetail["passes"];
  subject: string;
  tz: string;
  now: Date;
}) {
  return (
    <Card>
      <CardHeader
        title="Enrolment pass"
        description="Single use, short-lived, and good only for a factor at least as strong as before (never below AAL2)."
      />
      {passes.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-500">
          No pass issued yet: the approval that meets the policy issues it and shows its secret once, to that approver,
          to hand to {subject}.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Enrolment passes">
          {passes.map((p) => {
            const s = passState(p, now);
            const external = p.external as Record<string, unknown> | null;
            return (
              <li key={p.id} className="px-4 py-3" data-testid="pass">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="text-sm font-medium text-slate-900">
                    {p.issuedAt === "lockstep" ? "Issued by Lockstep" : "Issued at the organisation's IdP"}
                  </span>
                  {p.issuedAt === "idp" && external?.simulated ? (
                    <Badge tone="violet">Simulated: no real IdP was called</Badge>
                  ) : null}
                  <Badge tone={s.tone}>{s.label}</Badge>
                </div>
                <p className="mt-1 text-xs text-slate-600">
                  Accepts {STRENGTH_LABELS[p.minStrength as Strength]} ({p.minStrength}) or stronger ·{" "}
                  {p.usedAt
                    ? `used ${formatDateTime(p.usedAt, tz)} to enrol ${p.usedFor ? FACTOR_TYPE_LABELS[p.usedFor] : "a factor"}`
                    : p.voidedAt
                      ? `withdrawn ${formatDateTime(p.voidedAt, tz)}`
                      : `${p.expiresAt < now ? "expired" : "works until"} ${formatDateTime(p.expiresAt, tz)}`}
                </p>
                {p.issuedAt === "lockstep" ? (
                  <p className="mt-1 text-xs text-slate-500">
                    {subject} signs in to Lockstep's enrolment with it: it accepts a passkey and refuses anything
                    weaker.
                  </p>
                ) : null}
                {external ? (
                  <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-0.5 rounded bg-slate-50 px-3 py-2 text-[11px] md:grid-cols-3">
                    {IDP_FIELDS.filter((k) => external[k] !== undefined).map((k) => (
                      <div key={k} className="min-w-0">
                        <dt className="text-slate-500">{k}</dt>
                        <dd className="truncate font-mono text-slate-800">{String(external[k])}</dd>
                      </div>
                    ))}
                  </dl>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/**
 * The "recovery downgrade" finding on a recovery's page: after a recovery of this subject (this one or an earlier
 * one), their factor records show an active factor enrolled that is weaker than the recovery's pass allowed — at the
 * IdP, where the pass cannot hold the floor by itself, the organisation fell back to something weaker after all.
 */
export function DowngradesCard({
  downgrades,
  requestId,
  subject,
  tz,
}: {
  downgrades: BreakGlassDetail["downgrades"];
  requestId: number;
  subject: string;
  tz: string;
}) {
  if (downgrades.length === 0) return null;
  return (
    <Card className="border-red-300">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            Recovery downgrade <Badge tone="danger">Finding</Badge>
          </span>
        }
        description={`After a recovery, ${subject} enrolled a factor weaker than the recovery's pass allowed: the fallback was weaker after all. Replace it with one at least as strong.`}
      />
      <ul className="divide-y divide-slate-100" aria-label="Recovery downgrades" data-testid="recovery-downgrades">
        {downgrades.map((d) => (
          <li key={`${d.requestId}-${d.factor.id}`} className="px-4 py-3 text-sm">
            <p className="font-medium text-slate-900">
              {FACTOR_TYPE_LABELS[d.factor.type]}: {STRENGTH_LABELS[d.factor.strength as Strength]} ({d.factor.strength}
              ), enrolled {formatDateTime(d.factor.enrolledAt, tz)}
            </p>
            <p className="mt-0.5 text-xs text-slate-600">
              The pass of{" "}
              {d.requestId === requestId ? (
                "this recovery"
              ) : (
                <Link href={`/break-glass/${d.requestId}`} className="text-indigo-700 hover:underline">
                  recovery #{d.requestId}
                </Link>
              )}{" "}
              ({formatDateTime(d.recoveredAt, tz)}) accepted {STRENGTH_LABELS[d.minStrength as Strength]} (
              {d.minStrength}) or stronger.
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
