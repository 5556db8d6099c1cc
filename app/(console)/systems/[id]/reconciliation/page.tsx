import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, type Tone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/lib/authz";
import { idParam } from "@/lib/input";
import { listFindings, listRuns, reconciliationSystem } from "@/lib/reconciliation/queries";
import { findingsInput } from "@/lib/reconciliation/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { ReconcileButton } from "./_components/reconcile-button";
import { RunProgress } from "./_components/run-progress";

export const metadata: Metadata = { title: "Reconciliation" };

const STATUS_TONE: Record<string, Tone> = { queued: "info", running: "info", done: "success", failed: "danger" };
const KIND_LABEL = { uncorrelated: "Uncorrelated accounts", leaver_live: "Leavers' live accounts" } as const;
const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");

export default async function ReconciliationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const systemId = idParam.safeParse((await params).id);
  if (!systemId.success) notFound();
  const ctx = await pageContext("systems.read");
  const query = await searchParams;
  const input = findingsInput.safeParse({ ...query, systemId: String(systemId.data) });
  if (!input.success) notFound();
  const system = await orNotFound(reconciliationSystem(ctx, systemId.data));
  const [runs, findings] = await Promise.all([listRuns(ctx, system.id), listFindings(ctx, input.data)]);
  const tz = await viewerTimeZone();
  const active = runs.find((r) => r.status === "queued" || r.status === "running");
  const base = `/systems/${system.id}/reconciliation`;
  const kind = input.data.kind;
  const exportQuery = new URLSearchParams({ systemId: String(system.id), kind });
  if (findings.runId) exportQuery.set("run", String(findings.runId));

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Systems", href: "/systems" }, { label: system.name }, { label: "Reconciliation" }]}
        title={`Reconciliation — ${system.name}`}
        description="Reads the system's Users and Groups over SCIM, page by page, and reconciles accounts, entitlements and grants with Lockstep's inventory in one transaction. Accounts nobody matches are listed as uncorrelated; leavers' accounts still active there are flagged for the drift watch. Runs daily (LOCKSTEP_RECONCILE_CRON) and on demand."
        actions={
          can(ctx.actor, "imports.run") && system.reconcilable ? (
            <ReconcileButton systemId={system.id} disabled={Boolean(active)} />
          ) : null
        }
      />
      {!system.reconcilable ? (
        <Card className="mb-5">
          <EmptyState title="Nothing to reconcile with">
            {system.simulated
              ? "This system's connector is simulated: there is no real system to read."
              : "Only systems with a SCIM connector can be reconciled."}
          </EmptyState>
        </Card>
      ) : null}
      {active ? (
        <Card className="mb-5">
          <RunProgress initial={active} />
        </Card>
      ) : null}
      <Card className="mb-5">
        <CardHeader title="Last runs" description="Newest first. A failed run changed nothing." />
        {runs.length === 0 ? (
          <EmptyState title="No runs yet" />
        ) : (
          <Table label="Reconciliation runs">
            <THead>
              <tr>
                <TH>Run</TH>
                <TH>Status</TH>
                <TH>Started</TH>
                <TH>By</TH>
                <TH className="text-right">Users</TH>
                <TH className="text-right">Matched</TH>
                <TH className="text-right">New</TH>
                <TH className="text-right">Uncorrelated</TH>
                <TH className="text-right">Leaver live</TH>
                <TH className="text-right">Ended</TH>
              </tr>
            </THead>
            <tbody>
              {runs.map((r) => (
                <TR key={r.id}>
                  <TD>#{r.id}</TD>
                  <TD>
                    <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                    {r.error ? <p className="mt-1 max-w-xs text-xs text-red-700">{r.error}</p> : null}
                  </TD>
                  <TD className="whitespace-nowrap">{formatDateTime(r.startedAt ?? r.createdAt, tz)}</TD>
                  <TD>{r.requestedBy}</TD>
                  <TD className="text-right tabular-nums">{r.counts ? n(r.counts.users) : n(r.usersRead)}</TD>
                  <TD className="text-right tabular-nums">{r.counts ? n(r.counts.matched) : "—"}</TD>
                  <TD className="text-right tabular-nums">{r.counts ? n(r.counts.created) : "—"}</TD>
                  <TD className="text-right tabular-nums" data-testid={`run-${r.id}-uncorrelated`}>
                    {r.counts ? n(r.counts.uncorrelated) : "—"}
                  </TD>
                  <TD
                    className="text-right tabular-nums"
                    data-testid={`run-${r.id}-leaver-live`}
                    title={
                      r.counts?.leaverTasksAdded
                        ? `${n(r.counts.leaverTasksAdded)} revocation tasks added to their cases, ${n(r.counts.casesReopened ?? 0)} closed cases reopened`
                        : undefined
                    }
                  >
                    {r.counts ? n(r.counts.leaverLive) : "—"}
                    {r.counts?.leaverTasksAdded ? (
                      <span className="block text-xs text-slate-500">+{n(r.counts.leaverTasksAdded)} tasks</span>
                    ) : null}
                  </TD>
                  <TD
                    className="text-right tabular-nums"
                    title={
                      r.counts
                        ? `${n(r.counts.accountsEnded)} accounts, ${n(r.counts.grantsEnded)} grants; ${n(r.counts.grantsAdded)} grants and ${n(r.counts.entitlementsAdded)} entitlements found`
                        : undefined
                    }
                  >
                    {r.counts ? n(r.counts.accountsEnded + r.counts.grantsEnded) : "—"}
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader
          title={
            <nav aria-label="Findings" className="flex gap-3">
              {(["uncorrelated", "leaver_live"] as const).map((k) => (
                <Link
                  key={k}
                  href={`${base}?kind=${k}`}
                  aria-current={k === kind ? "page" : undefined}
                  className={k === kind ? "text-indigo-700 underline" : "text-slate-600 hover:underline"}
                >
                  {KIND_LABEL[k]}
                </Link>
              ))}
            </nav>
          }
          description={
            findings.runId ? `From run #${findings.runId}, the latest that finished.` : "No run has finished yet."
          }
          actions={
            findings.runId ? (
              <ButtonLink size="sm" href={`/api/reconciliation/export?${exportQuery}`} prefetch={false}>
                Export CSV
              </ButtonLink>
            ) : null
          }
        />
        {findings.items.length === 0 ? (
          <EmptyState title={`No ${KIND_LABEL[kind].toLowerCase()}`} />
        ) : (
          <Table label={KIND_LABEL[kind]}>
            <THead>
              <tr>
                <TH>userName</TH>
                <TH>Email</TH>
                <TH>External id</TH>
                <TH>{kind === "leaver_live" ? "Person" : "Display name"}</TH>
                {kind === "leaver_live" ? <TH>Leaver case</TH> : null}
                <TH>Id at the system</TH>
              </tr>
            </THead>
            <tbody>
              {findings.items.map((f) => (
                <TR key={f.id}>
                  <TD className="font-medium text-slate-900">{f.userName}</TD>
                  <TD>{f.email ?? "—"}</TD>
                  <TD>{f.externalId ?? "—"}</TD>
                  <TD>
                    {kind === "leaver_live" && f.identityId ? (
                      <Link className="text-indigo-700 hover:underline" href={`/people/${f.identityId}`}>
                        {f.person}
                      </Link>
                    ) : (
                      (f.displayName ?? "—")
                    )}
                  </TD>
                  {kind === "leaver_live" ? (
                    <TD>
                      {f.caseId ? (
                        <Link className="text-indigo-700 hover:underline" href={`/leavers/${f.caseId}`}>
                          Case #{f.caseId}
                        </Link>
                      ) : (
                        "—"
                      )}
                    </TD>
                  ) : null}
                  <TD className="font-mono text-xs text-slate-500">{f.remoteId}</TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
        <KeysetPager
          basePath={base}
          params={query}
          next={findings.next}
          prev={findings.prev}
          shown={findings.items.length}
          noun="accounts"
        />
      </Card>
    </>
  );
}
