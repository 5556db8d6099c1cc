import type { Metadata } from "next";
import type { SparkPoint } from "@/components/charts/types";
import { PageHeader } from "@/components/ui/page-header";
import { type Actor, can, type Permission } from "@/lib/authz";
import { approverPoolHealth } from "@/lib/break-glass/detail";
import { breakGlassOverview } from "@/lib/break-glass/queries";
import { unmetApprovals } from "@/lib/break-glass/rules";
import { loadDashboard } from "@/lib/dashboard/queries";
import type { TileData, TileKey } from "@/lib/dashboard/tiles";
import { pageContext } from "@/lib/session";
import { formatDateTime, timeZoneLabel } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { BreakGlassReadiness } from "./_components/break-glass-readiness";
import { KpiTile } from "./_components/kpi-tile";

export const metadata: Metadata = { title: "Dashboard" };

const n = (v: number | null | undefined) => (v ?? 0).toLocaleString("en-US");

type Copy = { label: string; hint: (t: TileData) => React.ReactNode; link?: [Permission, string] };

/** What each tile says and where it leads (the page that explains the figure). */
const COPY: Record<TileKey, Copy> = {
  pr_coverage: {
    label: "Phishing-resistant coverage",
    // Not the heatmap's strength 4–5: holding such a factor is not signing in only with it. A person with a passkey
    // and SMS recovery counts here but is SMS-strength there (acceptance testing asked which is which).
    hint: (t) =>
      `of ${n(t.context.people)} active people hold a passkey, security key or PIV card (their weakest way in may still be weaker: the heatmap's effective strength counts that)`,
    link: ["factors.aggregate", "/factors"],
  },
  pr_coverage_privileged: {
    label: "Phishing-resistant, privileged",
    hint: (t) => `of ${n(t.context.people_privileged)} people holding privileged grants`,
    link: ["factors.aggregate", "/factors?privileged=1"],
  },
  fallback_gap: {
    label: "Recovery weaker than primary",
    hint: (t) =>
      `people whose fallback path undoes a strong factor (${n(t.context.fallback_gap_privileged)} privileged)`,
    link: ["factors.aggregate", "/factors?mode=primary"],
  },
  privileged_below_aal2: {
    label: "Privileged people below AAL2",
    hint: (t) => `of ${n(t.context.people_privileged)} privileged people have an effective strength of 0–2`,
    link: ["factors.aggregate", "/factors?privileged=1"],
  },
  break_glass_30d: {
    label: "Break-glass activations",
    hint: () => "emergency access or recovery granted, last 30 days",
    link: ["break_glass.read", "/break-glass"],
  },
  open_cases: {
    label: "Open leaver cases",
    hint: (t) => `${n(t.context.sla_breaches)} past their SLA`,
    link: ["leavers.read", "/leavers"],
  },
  sla_breaches: {
    label: "Leaver SLA breaches",
    hint: () => "open cases past the revocation deadline",
    link: ["leavers.read", "/leavers?breached=1"],
  },
  median_revocation: {
    label: "Median time to full revocation",
    hint: () => "effective time → case closed, cases closed in the last 30 days",
    link: ["leavers.read", "/leavers?status=closed"],
  },
  review_completion: {
    label: "Review campaign completion",
    hint: (t) => `of ${n(t.context.review_items)} items decided in campaigns under way`,
    link: ["reviews.read", "/reviews"],
  },
  orphaned_credentials: {
    label: "Orphaned credentials",
    hint: () => "live tokens and keys with no active owner",
    link: ["api_scopes.read", "/api-scopes?finding=orphaned"],
  },
  stale_bulk_credentials: {
    label: "Stale bulk-record credentials",
    hint: () => "reach bulk-record endpoints, unused for 90 days",
    link: ["api_scopes.read", "/api-scopes?finding=stale_bulk"],
  },
};

const SECTIONS: { title: string; keys: TileKey[]; columns: string }[] = [
  {
    title: "Authentication",
    keys: ["pr_coverage", "pr_coverage_privileged", "fallback_gap", "privileged_below_aal2"],
    columns: "xl:grid-cols-4",
  },
  {
    title: "Offboarding and access reviews",
    keys: ["open_cases", "sla_breaches", "median_revocation", "review_completion"],
    columns: "xl:grid-cols-4",
  },
  {
    title: "API credentials and emergency access",
    keys: ["orphaned_credentials", "stale_bulk_credentials", "break_glass_30d"],
    columns: "xl:grid-cols-3",
  },
];

/** A tile links to the page that explains it, for roles that may open that page. */
function linkFor(actor: Actor, copy: Copy): string | undefined {
  return copy.link && can(actor, copy.link[0]) ? copy.link[1] : undefined;
}

export default async function DashboardPage() {
  const ctx = await pageContext("dashboard.view");
  const [data, health, overview, tz] = await Promise.all([
    loadDashboard(ctx),
    approverPoolHealth(ctx),
    breakGlassOverview(ctx),
    viewerTimeZone(),
  ]);
  const tiles = new Map(data.tiles.map((t) => [t.key, t]));
  const dayLabel = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short" });
  const points = (t: TileData): SparkPoint[] =>
    t.series.map((p) => [dayLabel.format(new Date(`${p.day}T00:00:00Z`)), p.value]);

  return (
    <>
      <PageHeader
        title="Risk dashboard"
        description={`Organisation-wide posture across ${n(data.people)} active people, with the change over the last 30 days. Aggregates only: open a tile for the detail your role may see.`}
        meta={
          <span className="text-xs text-slate-500">
            As of {formatDateTime(ctx.now, tz)} ({timeZoneLabel(tz)}) · charts show 90 days of daily snapshots
          </span>
        }
      />
      {!health.canBeMet || overview.active ? (
        <div
          role="alert"
          className={`mb-5 rounded-lg border px-4 py-2.5 text-sm ${health.canBeMet ? "border-amber-300 bg-amber-50 text-amber-900" : "border-red-300 bg-red-50 text-red-900"}`}
          data-testid="break-glass-warning"
        >
          {health.canBeMet
            ? null
            : `${unmetApprovals(health.canBeMetFor)} cannot be met today: a request would lapse. `}
          {overview.active
            ? `${overview.active} break-glass ${overview.active === 1 ? "grant is" : "grants are"} active now. `
            : null}
          {can(ctx.actor, "break_glass.request") ? (
            <a href="/break-glass" className="font-medium underline">
              Open break-glass
            </a>
          ) : (
            "See break-glass readiness below."
          )}
        </div>
      ) : null}
      {SECTIONS.map((section) => (
        <section key={section.title} className="mb-6" aria-labelledby={`section-${section.keys[0]}`}>
          <h2
            id={`section-${section.keys[0]}`}
            className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase"
          >
            {section.title}
          </h2>
          <div className={`grid grid-cols-1 gap-4 sm:grid-cols-2 ${section.columns}`}>
            {section.keys.map((key) => {
              const tile = tiles.get(key)!;
              const copy = COPY[key];
              return (
                <KpiTile
                  key={key}
                  tile={tile}
                  label={copy.label}
                  hint={copy.hint(tile)}
                  href={linkFor(ctx.actor, copy)}
                  points={points(tile)}
                />
              );
            })}
          </div>
        </section>
      ))}
      <section className="mb-6" aria-labelledby="section-break-glass">
        <h2 id="section-break-glass" className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          Break-glass readiness
        </h2>
        <BreakGlassReadiness
          data={{ health, overview }}
          href={can(ctx.actor, "break_glass.request") ? "/break-glass" : undefined}
          now={ctx.now}
          tz={tz}
        />
      </section>
    </>
  );
}
