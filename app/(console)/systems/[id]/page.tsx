import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { connectorProblem } from "@/lib/connectors/support";
import { idParam } from "@/lib/input";
import { pageContext } from "@/lib/session";
import { loadSystemSettings } from "@/lib/systems/queries";
import { SYSTEM_FORM_OPTIONS } from "../_components/options";
import { SystemForm } from "../_components/system-form";
import { TestConnection } from "../_components/test-connection";

export const metadata: Metadata = { title: "System settings" };

export default async function SystemSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("systems.manage");
  const id = idParam.safeParse((await params).id);
  if (!id.success) notFound();
  const s = await loadSystemSettings(ctx, id.data);
  if (!s) notFound();
  const justConnected = (await searchParams).connected === "1";
  const c = s.connectorConfig;
  const problem =
    s.connectorKind === "manual"
      ? null
      : connectorProblem({ kind: s.connectorKind, simulated: s.connectorSimulated, config: c });
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Systems", href: "/systems" }, { label: s.name }]}
        title={s.name}
        description="The system's settings and its connector. Changes apply to tasks requested from now on; each save needs a passkey step-up and is audited with the settings before and after."
        meta={
          <>
            <Badge>{s.slug}</Badge>
            {s.connectorSimulated ? <Badge tone="warning">Simulated</Badge> : null}
            {justConnected ? <Badge tone="success">Connected — now test it</Badge> : null}
          </>
        }
      />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <SystemForm
          key={JSON.stringify(s)}
          systemId={s.id}
          options={SYSTEM_FORM_OPTIONS}
          initial={{
            name: s.name,
            category: s.category,
            criticality: s.criticality,
            owner: s.ownerId && s.ownerName ? { id: s.ownerId, name: s.ownerName } : null,
            description: s.description ?? "",
            connectorKind: s.connectorKind,
            simulated: s.connectorSimulated,
            deprovisionMode: s.deprovisionMode,
            maxConcurrency: s.maxConcurrency,
            baseUrl: c.baseUrl ?? "",
            clientId: c.clientId ?? "",
            clientAuth: c.clientAuth ?? "client_secret_basic",
            tokenEndpoint: c.tokenEndpoint ?? "",
            revocationEndpoint: c.revocationEndpoint ?? "",
            introspectionEndpoint: c.introspectionEndpoint ?? "",
            webhookUrl: c.webhookUrl ?? "",
            secretEnv: c.secretEnv ?? "",
            timeoutMs: c.timeoutMs ?? null,
          }}
        />
        <aside className="self-start xl:sticky xl:top-16">
          <TestConnection systemId={s.id} problem={problem} />
        </aside>
      </div>
    </>
  );
}
