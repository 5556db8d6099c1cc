import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { humanize, StatusBadge } from "@/components/ui/status";
import { getCredential } from "@/lib/api-scopes/credential";
import { CREDENTIAL_KIND_LABELS, type CredentialKind } from "@/lib/api-scopes/rules";
import { credentialIdInput } from "@/lib/api-scopes/schemas";
import { can } from "@/lib/authz";
import { supportedKinds } from "@/lib/connectors/support";
import { listTasks } from "@/lib/remediation/queries";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { AutoRefresh } from "../../../_remediation/auto-refresh";
import { TaskRow } from "../../../_remediation/task-row";
import { BlastBadge } from "../../_components/blast-badge";
import { FindingBadge } from "../../_components/finding-badges";
import { CredentialActions } from "./_components/credential-actions";
import { HandleSection } from "./_components/handle-section";
import { OwnerChain } from "./_components/owner-chain";
import { ScopesSection } from "./_components/scopes-section";
import { TimelineSection } from "./_components/timeline-section";

export const metadata: Metadata = { title: "Credential" };

async function load(id: string) {
  const parsed = credentialIdInput.safeParse({ credentialId: id });
  if (!parsed.success) notFound();
  const ctx = await pageContext("api_scopes.read");
  return { ctx, detail: await orNotFound(getCredential(ctx, parsed.data.credentialId)) };
}

export default async function CredentialPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, detail } = await load((await params).id);
  const tz = await viewerTimeZone();
  const { credential: c, system } = detail;
  const when = (d: Date | null, none = "—") =>
    d ? (
      <time dateTime={d.toISOString()} title={formatDateTime(d, tz)}>
        {formatDateTime(d, tz)} <span className="font-normal text-slate-500">({formatRelative(d, ctx.now)})</span>
      </time>
    ) : (
      none
    );
  const sys = { kind: system.connectorKind as never, simulated: system.simulated, config: {} };
  const cannot = (action: "revoke_credential" | "reduce_scopes", what: string) =>
    system.connectorKind === "manual"
      ? "manual system"
      : supportedKinds(sys).includes(action)
        ? null
        : `its ${system.connectorKind.toUpperCase()} connector cannot ${what}`;
  const problem = cannot("revoke_credential", "revoke tokens");
  const reduceProblem =
    cannot("reduce_scopes", "change scopes") ??
    (!system.simulated && system.connectorKind === "oauth" && c.handleKind !== "registration"
      ? "Lockstep holds no RFC 7592 registration for this client"
      : null);
  const tasks = await listTasks(ctx, { type: "credential_page", id: c.id });
  // Refresh while the engine still works on something: queued, executed but not verified, or a retry scheduled.
  const live = tasks.some(
    (t) =>
      t.mode === "connector" && (t.state === "running" || t.state === "done" || (t.state === "failed" && t.notBefore)),
  );
  const facts: [string, React.ReactNode][] = [
    [
      "Issuer",
      <span key="i">
        {system.name}{" "}
        <span className="font-normal text-slate-500">
          · {system.connectorKind}
          {system.simulated ? " (simulated)" : ""}
        </span>
      </span>,
    ],
    ["Created", when(c.createdAt)],
    ["Last used", when(c.lastUsedAt, "never")],
    ["Last rotated", when(c.lastRotatedAt, "never")],
    ["Expires", when(c.expiresAt, "never")],
    [
      "Issuer's reference",
      // Issuers' ids are long unbroken strings: they wrap inside the cell (acceptance testing saw it run off the card).
      <code key="r" className="text-xs break-all">
        {c.externalRef ?? "—"}
      </code>,
    ],
  ];
  return (
    <>
      <PageHeader
        crumbs={[{ label: "API credentials", href: "/api-scopes" }, { label: c.name }]}
        title={c.name}
        description={`${CREDENTIAL_KIND_LABELS[c.kind as CredentialKind] ?? humanize(c.kind)} issued by ${system.name}, held by ${detail.chain.holder?.name ?? "—"}.`}
        meta={
          <>
            <StatusBadge status={c.status} />
            <span className="flex items-center gap-1.5 text-xs text-slate-600">
              Blast radius <BlastBadge score={c.blastRadius} />
            </span>
            {system.simulated ? <Badge tone="violet">Simulated connector</Badge> : null}
            {c.revokedAt ? (
              <span className="text-xs text-slate-600">revoked {formatDateTime(c.revokedAt, tz)}</span>
            ) : null}
          </>
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xs md:grid-cols-3 xl:grid-cols-6">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-6 xl:grid-cols-5">
        <div className="flex flex-col gap-6 xl:col-span-3">
          <Card>
            <CardHeader
              title={`Findings (${detail.findings.length})`}
              description={`Rules at the current policy: stale after ${detail.policy.staleAfterDays} days, rotation every ${detail.policy.rotationMaxDays} days.`}
            />
            {detail.findings.length === 0 ? (
              <EmptyState title={c.status === "active" ? "No findings" : "No findings: it is no longer live"} />
            ) : (
              <ul className="divide-y divide-slate-100" aria-label="Findings">
                {detail.findings.map((f) => (
                  <li key={f.id} className="flex items-start gap-3 px-4 py-2.5">
                    <FindingBadge id={f.id} />
                    <div className="text-sm">
                      <p className="text-slate-800">{f.explanation}</p>
                      <p className="text-[11px] text-slate-500">
                        rule <code>{f.id}</code>
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <ScopesSection detail={detail} tz={tz} now={ctx.now} />
        </div>
        <div className="flex flex-col gap-6 xl:col-span-2">
          {can(ctx.actor, "api_scopes.manage") ? (
            <CredentialActions
              credentialId={c.id}
              active={c.status === "active"}
              scopes={c.scopes}
              system={system.name}
              connector={system.connectorKind}
              simulated={system.simulated}
              clientRegistration={c.handleKind === "registration"}
              manualReduceReason={reduceProblem}
              manualReason={
                problem
                  ? `${system.name} cannot be revoked from Lockstep (${problem}): revoke it there, then record it with evidence.`
                  : null
              }
              warning={
                !problem && !system.simulated && system.connectorKind === "oauth" && !c.hasHandle
                  ? "Lockstep holds no revocation handle for this token: the issuer cannot be asked to revoke it (an administrator can register one under Revocation handle)."
                  : null
              }
            />
          ) : null}
          {can(ctx.actor, "api_scopes.handles") ? (
            <HandleSection
              credentialId={c.id}
              active={c.status === "active"}
              isOAuthClient={c.kind === "oauth_client"}
              system={system.name}
              oauthIssuer={system.connectorKind === "oauth"}
              simulated={system.simulated}
              handle={
                c.handleKind && c.handleRegisteredAt
                  ? {
                      kind: c.handleKind,
                      registered: `${formatDateTime(c.handleRegisteredAt, tz)} (${formatRelative(c.handleRegisteredAt, ctx.now)})`,
                    }
                  : null
              }
            />
          ) : null}
          <Card>
            <CardHeader
              title="Remediation"
              description="Changes asked for from this page, carried out at the issuer and verified by re-reading it."
            />
            <AutoRefresh active={live} />
            {tasks.length === 0 ? (
              <EmptyState title="Nothing requested from this page" />
            ) : (
              <ul className="divide-y divide-slate-100" aria-label="Remediation tasks">
                {tasks.map((t) => (
                  <TaskRow
                    key={t.id}
                    t={t}
                    tz={tz}
                    now={ctx.now}
                    actions={{
                      closed: false,
                      meId: ctx.actor.id,
                      can: {
                        manage: can(ctx.actor, "remediation.manage"),
                        waive: can(ctx.actor, "remediation.waive"),
                        handover: false,
                      },
                    }}
                  />
                ))}
              </ul>
            )}
          </Card>
          {detail.openTask ? (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-600/20">
              Leaver case #{detail.openTask.caseId} has a revocation task for this credential ({detail.openTask.state}).
            </p>
          ) : null}
          <OwnerChain chain={detail.chain} openCase={detail.openCase} />
          <TimelineSection entries={detail.timeline} tz={tz} />
        </div>
      </div>
    </>
  );
}
