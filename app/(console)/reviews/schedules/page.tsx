import { CalendarClock } from "lucide-react";
import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { campaignScopeOptions, listSchedules } from "@/lib/reviews/queries";
import { CADENCE_LABELS, POLICY_LABELS } from "@/lib/reviews/rules";
import { pageContext } from "@/lib/session";
import { dateInZone, formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { KIND_LABELS } from "../_components/kind-label";
import { ScheduleForm } from "./_components/schedule-form";
import { ScheduleToggle } from "./_components/schedule-toggle";

export const metadata: Metadata = { title: "Review schedules" };

/** Recurring campaigns: each run launches a campaign by itself (the hourly schedule job). */
export default async function SchedulesPage() {
  const ctx = await pageContext("reviews.manage");
  const [schedules, options, tz] = await Promise.all([listSchedules(ctx), campaignScopeOptions(ctx), viewerTimeZone()]);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Access reviews", href: "/reviews" }, { label: "Schedules" }]}
        title="Schedules"
        description="Recurring campaigns launch by themselves. NIST SP 800-53 AC-2(j) at the FedRAMP Moderate baseline asks for privileged accounts to be reviewed quarterly and all others yearly."
      />
      <Card className="mb-5">
        <CardHeader
          title="Recurring campaigns"
          description="Turn one off to skip its runs; turn it on again to resume."
        />
        {schedules.length === 0 ? (
          <EmptyState title="No schedules yet" icon={CalendarClock}>
            Start from a suggestion below: privileged access every quarter and all access every year.
          </EmptyState>
        ) : (
          <Table label="Schedules">
            <THead>
              <tr>
                <TH>Schedule</TH>
                <TH>Runs</TH>
                <TH>Next run</TH>
                <TH>Last run</TH>
                <TH className="text-right">Campaigns</TH>
                <TH>No response</TH>
                <TH>Enabled</TH>
              </tr>
            </THead>
            <tbody>
              {schedules.map((s) => (
                <TR key={s.id}>
                  <TD className="max-w-md">
                    <span className="font-medium text-slate-900">{s.name}</span>
                    <p className="text-xs text-slate-500">
                      {KIND_LABELS[s.kind]} · {s.definition}
                    </p>
                    <p className="text-xs text-slate-500">
                      Fallback reviewer: {s.fallback ?? "none (items without a reviewer go to the system owner)"}
                    </p>
                  </TD>
                  <TD className="text-xs whitespace-nowrap">
                    {CADENCE_LABELS[s.cadence]}
                    <span className="block text-slate-500">{s.durationDays} days each</span>
                  </TD>
                  <TD className="text-xs whitespace-nowrap">
                    {s.enabled ? (
                      <>
                        {formatDateTime(s.nextRunAt, tz)}
                        <span className="block text-slate-500">{formatRelative(s.nextRunAt, ctx.now)}</span>
                      </>
                    ) : (
                      <span className="text-slate-400">off</span>
                    )}
                  </TD>
                  <TD className="text-xs whitespace-nowrap">
                    {s.lastRunAt ? formatDateTime(s.lastRunAt, tz) : <span className="text-slate-400">never</span>}
                  </TD>
                  <TD className="text-right tabular-nums">{s.campaigns}</TD>
                  <TD className="text-xs">{POLICY_LABELS[s.noResponsePolicy].label}</TD>
                  <TD>
                    <ScheduleToggle id={s.id} name={s.name} enabled={s.enabled} />
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <ScheduleForm
        options={options}
        me={{ id: ctx.actor.id ?? 0, name: ctx.actor.name }}
        defaultFirstRun={dateInZone(ctx.now, tz, 1)}
      />
    </>
  );
}
