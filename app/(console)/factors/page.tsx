import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { strengthByDepartment } from "@/lib/factors/queries";
import { pageContext } from "@/lib/session";

export const metadata: Metadata = { title: "Factors" };

const STRENGTHS = [0, 1, 2, 3, 4, 5] as const;

/** Cell shade by share: the number is always printed, colour only supports it. */
function shade(share: number): string {
  if (share === 0) return "bg-white text-slate-300";
  if (share < 0.1) return "bg-indigo-50 text-slate-800";
  if (share < 0.25) return "bg-indigo-100 text-slate-900";
  if (share < 0.5) return "bg-indigo-300 text-slate-950";
  return "bg-indigo-600 text-white";
}

export default async function FactorsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const ctx = await pageContext("factors.aggregate");
  const params = await searchParams;
  const mode = params.mode === "primary" ? "primary" : "effective";
  const privilegedOnly = params.privileged === "1";
  const rows = await strengthByDepartment(ctx, { mode, privilegedOnly });
  const totals = STRENGTHS.map((s) => rows.reduce((n, r) => n + r.counts[s], 0));
  const grand = totals.reduce((a, b) => a + b, 0);
  const toggle = (patch: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries({ mode, privileged: privilegedOnly ? "1" : undefined, ...patch }).filter((e): e is [string, string] => Boolean(e[1])));
    return `/factors?${q}`;
  };
  const pill = (active: boolean) => cn("rounded-md px-2.5 py-1 text-xs font-medium", active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100");

  return (
    <>
      <PageHeader
        title="Factor strength"
        description="Who relies on SMS, voice or email codes, and who has phishing-resistant factors. Effective strength is the weaker of the best primary factor and the weakest recovery path."
      />
      <Card>
        <CardHeader
          title={`People by department and ${mode} strength${privilegedOnly ? ", privileged only" : ""}`}
          actions={
            <div className="flex gap-3">
              <div className="flex rounded-md border border-slate-200 p-0.5" role="group" aria-label="Strength measure">
                <Link className={pill(mode === "effective")} href={toggle({ mode: "effective" })}>Effective</Link>
                <Link className={pill(mode === "primary")} href={toggle({ mode: "primary" })}>Primary only</Link>
              </div>
              <div className="flex rounded-md border border-slate-200 p-0.5" role="group" aria-label="Population">
                <Link className={pill(!privilegedOnly)} href={toggle({ privileged: undefined })}>All people</Link>
                <Link className={pill(privilegedOnly)} href={toggle({ privileged: "1" })}>Privileged</Link>
              </div>
            </div>
          }
        />
        {rows.length === 0 ? (
          <EmptyState title="No people in scope" />
        ) : (
          <Table label="Strength by department">
            <THead>
              <tr>
                <TH>Department</TH>
                {STRENGTHS.map((s) => (
                  <TH key={s} className="text-center">
                    <StrengthBadge strength={s} compact />
                  </TH>
                ))}
                <TH className="text-right">People</TH>
              </tr>
            </THead>
            <tbody>
              {rows.map((r) => (
                <TR key={r.department}>
                  <TD className="font-medium">{r.department}</TD>
                  {STRENGTHS.map((s) => {
                    const share = r.total ? r.counts[s] / r.total : 0;
                    return (
                      <TD key={s} className={cn("text-center tabular-nums", shade(share))}>
                        <span className="font-semibold">{r.counts[s]}</span>
                        <span className="ml-1 text-[11px] opacity-80">{Math.round(share * 100)}%</span>
                      </TD>
                    );
                  })}
                  <TD className="text-right font-medium">{r.total}</TD>
                </TR>
              ))}
              <TR className="bg-slate-50 font-semibold">
                <TD>All departments</TD>
                {STRENGTHS.map((s) => (
                  <TD key={s} className="text-center">
                    {totals[s]} <span className="text-[11px] font-normal text-slate-500">{grand ? Math.round((100 * totals[s]) / grand) : 0}%</span>
                  </TD>
                ))}
                <TD className="text-right">{grand}</TD>
              </TR>
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
