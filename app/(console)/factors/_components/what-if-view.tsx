import { RadioTower } from "lucide-react";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { channelLabel, type Outcome } from "@/lib/factors/what-if";
import type { ChannelOption, OutageCounts, OutageReport } from "@/lib/factors/what-if-sql";

type HrefFor = ((departmentId: number | null, outcome: Outcome, privileged: boolean) => string) | null;

/**
 * The channel-outage what-if: pick a channel, see per department who would be locked out and who would be
 * pushed onto a weaker recovery path, privileged people first (their columns lead, their departments sort first).
 */
export function WhatIfView({
  channels,
  channel,
  report,
  hrefFor,
}: {
  channels: ChannelOption[];
  channel: string | undefined;
  report: OutageReport | null;
  hrefFor: HrefFor;
}) {
  return (
    <Card>
      <CardHeader
        title="Channel outage what-if"
        description="If one delivery channel stopped working (an SMS provider breach, a push service down), who could no longer sign in, and how would they get back in?"
      />
      <form
        method="get"
        action="/factors"
        className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-4 py-3"
      >
        <input type="hidden" name="view" value="what-if" />
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Channel down</span>
          <select
            name="channel"
            defaultValue={channel ?? ""}
            className="h-9 min-w-56 rounded-md border border-slate-300 bg-white px-2 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none"
          >
            {channels.map((c) => (
              <option key={c.channel} value={c.channel}>
                {channelLabel(c.channel)} — {c.people.toLocaleString("en-US")} people with a factor on it
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClasses("primary", "md")}>
          Show impact
        </button>
        <p className="ml-auto max-w-xl text-[11px] leading-4 text-slate-500">
          <strong className="font-medium text-slate-600">Locked out</strong>: every sign-in factor they have (strength 1
          or more) goes over this channel. <strong className="font-medium text-slate-600">Weaker recovery path</strong>:
          locked out, and the strongest recovery path left is weaker than the factor they lost.{" "}
          <strong className="font-medium text-slate-600">No path left</strong>: locked out with no recovery path off the
          channel — only an unplanned service-desk reset.
        </p>
      </form>
      {!channels.length ? (
        <EmptyState icon={RadioTower} title="No out-of-band factors in view">
          Nobody in scope signs in with SMS, voice, email or push.
        </EmptyState>
      ) : !report ? null : report.total.all.affected === 0 ? (
        <EmptyState icon={RadioTower} title={`Nobody signs in over ${channelLabel(report.channel)}`}>
          An outage of this channel would lock nobody out.
        </EmptyState>
      ) : (
        <>
          <Summary report={report} hrefFor={hrefFor} />
          <OutageTable report={report} hrefFor={hrefFor} />
        </>
      )}
    </Card>
  );
}

function Summary({ report, hrefFor }: { report: OutageReport; hrefFor: HrefFor }) {
  const { all, privileged } = report.total;
  const box = (label: string, outcome: Outcome, n: number, p: number, tone: "danger" | "warning" | "neutral") => (
    <div
      className={cn(
        "rounded-md border px-3 py-2",
        tone === "danger"
          ? "border-red-200 bg-red-50/60"
          : tone === "warning"
            ? "border-amber-200 bg-amber-50/60"
            : "border-slate-200",
      )}
      data-testid={`what-if-${outcome}`}
    >
      <p className="text-[11px] font-medium text-slate-600">{label}</p>
      <p className="text-xl font-semibold tabular-nums text-slate-900">
        <Num n={n} href={hrefFor?.(null, outcome, false)} />
      </p>
      <p className="text-[11px] text-slate-600">
        <Num n={p} href={hrefFor?.(null, outcome, true)} /> privileged
      </p>
    </div>
  );
  return (
    <section
      className="grid grid-cols-2 gap-3 border-b border-slate-200 p-4 lg:grid-cols-4"
      aria-label={`Impact of a ${channelLabel(report.channel)} outage`}
    >
      {box(`Sign in over ${channelLabel(report.channel)}`, "affected", all.affected, privileged.affected, "neutral")}
      {box("Locked out", "locked_out", all.lockedOut, privileged.lockedOut, "danger")}
      {box(
        "Pushed to a weaker recovery path",
        "weaker_recovery",
        all.weakerRecovery,
        privileged.weakerRecovery,
        "warning",
      )}
      {box("No recovery path left", "stranded", all.stranded, privileged.stranded, "danger")}
    </section>
  );
}

function Num({ n, href }: { n: number; href?: string }) {
  const text = n.toLocaleString("en-US");
  return href && n > 0 ? (
    <Link href={href} className="underline decoration-slate-300 underline-offset-2 hover:decoration-indigo-500">
      {text}
    </Link>
  ) : (
    text
  );
}

function OutageTable({ report, hrefFor }: { report: OutageReport; hrefFor: HrefFor }) {
  const cell = (
    c: OutageCounts,
    key: keyof OutageCounts,
    outcome: Outcome,
    id: number | null,
    privileged: boolean,
    strong = false,
  ) => (
    <td
      className={cn(
        "border-b border-slate-100 px-3 py-1.5 text-right tabular-nums",
        c[key] === 0 ? "text-slate-300" : strong && "font-semibold text-red-700",
      )}
    >
      <Num n={c[key]} href={hrefFor?.(id ?? 0, outcome, privileged)} />
    </td>
  );
  const th = "border-b border-slate-200 px-3 py-2 text-right font-medium";
  return (
    <div className="overflow-x-auto">
      <table
        className="w-full border-separate border-spacing-0 text-sm"
        aria-label={`${channelLabel(report.channel)} outage by department`}
      >
        <thead className="text-xs text-slate-500">
          <tr>
            <th rowSpan={2} scope="col" className="border-b border-slate-200 px-4 py-2 text-left font-medium">
              Department
            </th>
            <th
              colSpan={2}
              scope="colgroup"
              className="border-b border-l border-slate-200 bg-red-50/50 px-3 py-1 text-center font-semibold text-red-900"
            >
              Privileged people
            </th>
            <th
              colSpan={4}
              scope="colgroup"
              className="border-b border-l border-slate-200 px-3 py-1 text-center font-semibold text-slate-700"
            >
              Everyone
            </th>
          </tr>
          <tr>
            <th scope="col" className={cn(th, "border-l bg-red-50/50")}>
              Locked out
            </th>
            <th scope="col" className={cn(th, "bg-red-50/50")}>
              Weaker path
            </th>
            <th scope="col" className={cn(th, "border-l")}>
              Sign in over it
            </th>
            <th scope="col" className={th}>
              Locked out
            </th>
            <th scope="col" className={th}>
              Weaker path
            </th>
            <th scope="col" className={th}>
              No path left
            </th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={String(r.id)} data-testid="what-if-row" data-department={r.name}>
              <th
                scope="row"
                className={cn(
                  "border-b border-slate-100 py-1.5 pr-3 text-left",
                  r.depth === 0 ? "font-medium text-slate-800" : "font-normal text-slate-700",
                )}
                style={{ paddingLeft: `${1 + r.depth * 1.25}rem` }}
              >
                {r.name}
              </th>
              {cell(r.value.privileged, "lockedOut", "locked_out", r.id, true, true)}
              {cell(r.value.privileged, "weakerRecovery", "weaker_recovery", r.id, true)}
              {cell(r.value.all, "affected", "affected", r.id, false)}
              {cell(r.value.all, "lockedOut", "locked_out", r.id, false, true)}
              {cell(r.value.all, "weakerRecovery", "weaker_recovery", r.id, false)}
              {cell(r.value.all, "stranded", "stranded", r.id, false)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
