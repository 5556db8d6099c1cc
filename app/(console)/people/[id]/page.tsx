import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { humanize, StatusBadge } from "@/components/ui/status";
import { StrengthBadge } from "@/components/ui/strength-badge";
import { can } from "@/lib/authz";
import { getPerson } from "@/lib/people/person";
import { personIdInput } from "@/lib/people/schemas";
import { personReviews } from "@/lib/reviews/queries";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDate } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AccountsSection } from "./_components/accounts-section";
import { CasesSection } from "./_components/cases-section";
import { CredentialsSection } from "./_components/credentials-section";
import { FactorsSection } from "./_components/factors-section";
import { OwnedSection } from "./_components/owned-section";
import { ReviewsSection } from "./_components/reviews-section";
import { StartOffboarding } from "./_components/start-offboarding";

export const metadata: Metadata = { title: "Person" };

async function load(id: string) {
  const parsed = personIdInput.safeParse({ id });
  if (!parsed.success) notFound();
  const ctx = await pageContext("people.read");
  return { ctx, detail: await orNotFound(getPerson(ctx, parsed.data.id)) };
}

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, detail } = await load((await params).id);
  const [tz, reviews] = await Promise.all([viewerTimeZone(), personReviews(ctx, detail.person.id)]);
  const p = detail.person;
  const human = p.kind === "human";
  const facts: { label: string; value: React.ReactNode }[] = [
    { label: "Employee no.", value: p.employeeNumber ?? "—" },
    { label: "Department", value: p.department ?? "—" },
    human
      ? {
          label: "Manager",
          value: p.managerId ? (
            <Link className="text-indigo-700 hover:underline" href={`/people/${p.managerId}`}>
              {p.managerName}
            </Link>
          ) : (
            "—"
          ),
        }
      : {
          label: "Owner",
          value: p.ownerId ? (
            <span>
              <Link className="text-indigo-700 hover:underline" href={`/people/${p.ownerId}`}>
                {p.ownerName}
              </Link>
              {p.ownerStatus !== "active" ? (
                <Badge tone="danger" className="ml-1">
                  Orphaned: owner {p.ownerStatus}
                </Badge>
              ) : null}
            </span>
          ) : (
            <Badge tone="danger">Orphaned: no owner</Badge>
          ),
        },
    { label: "Employment", value: p.employmentType ? humanize(p.employmentType) : humanize(p.kind) },
    { label: "Hired", value: formatDate(p.hireDate, tz) },
    { label: "Last day", value: formatDate(p.terminationDate, tz) },
  ];

  return (
    <>
      <PageHeader
        crumbs={[{ label: "People", href: "/people" }, { label: p.name }]}
        actions={
          human && can(ctx.actor, "leavers.manage") && !detail.cases.some((c) => c.status !== "closed") ? (
            <StartOffboarding identityId={p.id} name={p.name} />
          ) : null
        }
        title={p.name}
        description={[p.title, p.email, p.location].filter(Boolean).join(" · ")}
        meta={
          <>
            <StatusBadge status={p.status} />
            {!human ? <Badge tone="violet">{humanize(p.kind)}</Badge> : null}
            {p.posture?.hasPrivileged ? <Badge tone="warning">Privileged access</Badge> : null}
            {human && p.posture ? (
              <span className="flex items-center gap-1.5 text-xs text-slate-600">
                Effective strength <StrengthBadge strength={p.posture.effectiveStrength} />
              </span>
            ) : null}
          </>
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xs md:grid-cols-3 xl:grid-cols-6">
        {facts.map(({ label, value }) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          <AccountsSection
            accounts={detail.accounts}
            sessions={detail.activeSessions}
            devices={detail.devices}
            tz={tz}
            now={ctx.now}
          />
          <CasesSection cases={detail.cases} breakGlass={detail.breakGlass} tz={tz} now={ctx.now} />
          <ReviewsSection reviews={reviews} linkCampaigns={can(ctx.actor, "reviews.manage")} tz={tz} />
        </div>
        <div className="flex flex-col gap-6">
          {human ? <FactorsSection factors={detail.factors} posture={p.posture} tz={tz} now={ctx.now} /> : null}
          <CredentialsSection credentials={detail.credentials} personId={p.id} tz={tz} now={ctx.now} />
          {human && detail.owned.length ? <OwnedSection owned={detail.owned} /> : null}
        </div>
      </div>
    </>
  );
}
