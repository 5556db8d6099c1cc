import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { type Actor, can, type Permission } from "@/lib/authz";
import { loadKpis } from "@/lib/dashboard/kpis";
import { pageContext } from "@/lib/session";

export const metadata: Metadata = { title: "Dashboard" };

const n = (v: number) => v.toLocaleString("en-US");

/** A tile links to the page that explains it, for roles that may open that page. */
function linkFor(actor: Actor, permission: Permission, href: string): string | undefined {
  return can(actor, permission) ? href : undefined;
}

export default async function DashboardPage() {
  const ctx = await pageContext("dashboard.view");
  const k = await loadKpis(ctx);
  const a = ctx.actor;
  return (
    <>
      <PageHeader
        title="Risk dashboard"
        description={`Organisation-wide posture across ${n(k.people)} active people. Aggregates only: open a tile for the detail your role may see.`}
      />
      <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Authentication</h2>
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Phishing-resistant coverage" value={`${k.phishingResistantPct}%`} hint="of active people" href={linkFor(a, "factors.aggregate", "/factors")} />
        <Stat
          label="Phishing-resistant, privileged"
          value={`${k.phishingResistantPrivilegedPct}%`}
          hint={`of ${n(k.privilegedPeople)} people with privileged grants`}
          tone={k.phishingResistantPrivilegedPct < 90 ? "warning" : "success"}
          href={linkFor(a, "factors.aggregate", "/factors?privileged=1")}
        />
        <Stat
          label="Recovery weaker than primary"
          value={n(k.fallbackGap)}
          hint="people whose fallback path undoes a strong factor"
          tone={k.fallbackGap ? "warning" : "success"}
          href={linkFor(a, "factors.aggregate", "/factors?view=gap")}
        />
        <Stat label="Break-glass activations" value={n(k.breakGlassActivations30d)} hint={`last 30 days · ${k.pendingBreakGlass} pending`} href={linkFor(a, "break_glass.read", "/break-glass")} />
      </div>
      <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Offboarding and API access</h2>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Open leaver cases" value={n(k.openCases)} hint={`${n(k.slaBreaches)} past SLA`} tone={k.slaBreaches ? "danger" : "neutral"} href={linkFor(a, "leavers.read", "/leavers")} />
        <Stat
          label="Median time to full revocation"
          value={k.medianRevocationHours === null ? "—" : `${k.medianRevocationHours} h`}
          hint="cases closed in the last 30 days"
          href={linkFor(a, "leavers.read", "/leavers?status=closed")}
        />
        <Stat
          label="Orphaned credentials"
          value={n(k.orphanedCredentials)}
          hint="active, with no active owner"
          tone={k.orphanedCredentials ? "danger" : "success"}
          href={linkFor(a, "api_scopes.read", "/api-scopes?finding=orphaned")}
        />
        <Stat
          label="Stale bulk-record credentials"
          value={n(k.staleBulkCredentials)}
          hint="reach bulk endpoints, unused 90 days"
          tone={k.staleBulkCredentials ? "warning" : "success"}
          href={linkFor(a, "api_scopes.read", "/api-scopes?finding=stale_bulk")}
        />
        <Stat
          label="Review campaign completion"
          value={k.reviewCompletionPct === null ? "—" : `${k.reviewCompletionPct}%`}
          hint={`${k.activeCampaigns} active campaign${k.activeCampaigns === 1 ? "" : "s"}`}
          href={linkFor(a, "reviews.read", "/reviews")}
        />
      </div>
    </>
  );
}
