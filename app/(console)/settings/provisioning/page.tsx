import type { Metadata } from "next";
import { headers } from "next/headers";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { listProvisioningClients, type ProvisioningClient } from "@/lib/scim/tokens";
import { pageContext } from "@/lib/session";
import { formatDateTime, formatRelative } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { CreateToken, RevokeToken } from "./_components/token-forms";

export const metadata: Metadata = { title: "Provisioning" };

/** SCIM provisioning clients (Entra ID, Okta…): their tokens, last use, and creating or revoking one. */
export default async function ProvisioningPage() {
  const ctx = await pageContext("systems.manage");
  const [clients, monitors, tz, h] = await Promise.all([
    listProvisioningClients(ctx),
    listProvisioningClients(ctx, "audit_monitor"),
    viewerTimeZone(),
    headers(),
  ]);
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? (host.startsWith("localhost") ? "http" : "https");
  const live = clients.filter((c) => !c.revokedAt);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Systems", href: "/systems" }, { label: "Provisioning" }]}
        title="Inbound provisioning (SCIM 2.0)"
        description="Your identity provider creates, updates and deactivates people in Lockstep through SCIM. Deactivating someone there opens a leaver case here; re-activating them within the grace time calls it off."
        meta={
          <>
            <Badge>
              {live.length} live token{live.length === 1 ? "" : "s"}
            </Badge>
            <Badge>
              Tenant URL <code className="ml-1 font-mono">{`${proto}://${host}/scim/v2`}</code>
            </Badge>
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <ClientsCard
          title="Provisioning clients"
          description="One bearer token per client. Lockstep keeps only a hash: a lost token is revoked and replaced."
          empty="No provisioning client yet. Create a token to connect one."
          clients={clients}
          tz={tz}
          now={ctx.now}
        />
        <CreateToken kind="provisioning" />
        <ClientsCard
          title="Audit monitors"
          description={`An external monitor polls ${proto}://${host}/api/audit/checkpoints/feed with its token and keeps the signed checkpoints of the audit chain, out of the database owner's reach. Its token reads that and nothing else.`}
          empty="No audit monitor yet."
          clients={monitors}
          tz={tz}
          now={ctx.now}
        />
        <CreateToken kind="audit_monitor" />
      </div>
    </>
  );
}

/** A kind of machine client with its tokens: who, which token (hint), made when and by whom, last use, revoke. */
function ClientsCard(p: {
  title: string;
  description: string;
  empty: string;
  clients: ProvisioningClient[];
  tz: string;
  now: Date;
}) {
  const { clients, tz } = p;
  return (
    <Card>
      <CardHeader title={p.title} description={p.description} />
      {clients.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">{p.empty}</p>
      ) : (
        <Table label={p.title}>
          <THead>
            <tr>
              <TH>Client</TH>
              <TH>Token</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <tbody>
            {clients.map((c) => (
              <TR key={c.id} className={c.revokedAt ? "text-slate-400" : undefined}>
                <TD className="font-medium">
                  {c.name}
                  {c.revokedAt ? (
                    <Badge className="ml-2" tone="neutral">
                      Revoked {formatDateTime(c.revokedAt, tz)}
                    </Badge>
                  ) : null}
                </TD>
                <TD className="font-mono text-xs">{c.tokenHint}</TD>
                <TD className="text-xs">
                  {formatDateTime(c.createdAt, tz)}
                  <div className="text-slate-500">by {c.createdBy}</div>
                </TD>
                <TD className="text-xs" title={c.lastUsedAt ? formatDateTime(c.lastUsedAt, tz) : undefined}>
                  {c.lastUsedAt ? formatRelative(c.lastUsedAt, p.now) : "Never"}
                  {c.lastUsedIp ? <div className="text-slate-500">from {c.lastUsedIp}</div> : null}
                </TD>
                <TD className="text-right">{c.revokedAt ? null : <RevokeToken clientId={c.id} name={c.name} />}</TD>
              </TR>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
