import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterBar } from "@/components/ui/filter-bar";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { listApiSystems, listEndpoints, topBulkPiiEndpoints } from "@/lib/api-scopes/endpoints";
import { endpointsInput } from "@/lib/api-scopes/schemas";
import { can } from "@/lib/authz";
import { queryOf } from "@/lib/input";
import { orNotFound, pageContext } from "@/lib/session";
import { ApiScopesNav } from "../_components/sub-nav";
import { EndpointsTable } from "./_components/endpoints-table";

export const metadata: Metadata = { title: "API endpoints" };

export default async function EndpointsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("api_scopes.read");
  const input = queryOf(endpointsInput, await searchParams);
  const canManage = can(ctx.actor, "api_scopes.manage");
  const systems = await listApiSystems(ctx);
  const selected = input.system ? await orNotFound(listEndpoints(ctx, input.system)) : null;
  const top = selected ? [] : await topBulkPiiEndpoints(ctx);
  return (
    <>
      <PageHeader
        title="API endpoints"
        description="What each system's scopes open, ranked by how many live credentials can call it — bulk endpoints first. Follow a count to the credentials."
      />
      <ApiScopesNav current="/api-scopes/endpoints" canManage={canManage} />
      <Card className="mb-6">
        <FilterBar
          key={input.system ?? "all"}
          action="/api-scopes/endpoints"
          selects={[
            {
              name: "system",
              label: "System",
              value: input.system,
              options: systems.map((s) => ({ value: s.id, label: s.name })),
            },
          ]}
        />
        {selected ? (
          <>
            <CardHeader title={selected.system.name} description={selected.system.description ?? undefined} />
            <EndpointsTable rows={selected.endpoints} canManage={canManage} />
          </>
        ) : (
          <>
            <CardHeader
              title="Who can read everything?"
              description="Bulk endpoints returning personal data, by orphaned then total live credentials that can call them."
            />
            {top.length ? (
              <EndpointsTable rows={top} canManage={false} showSystem />
            ) : (
              <EmptyState title="No live credential reaches a bulk PII endpoint" />
            )}
          </>
        )}
      </Card>
      {!selected ? (
        <Card>
          <CardHeader title={`Systems with recorded endpoints (${systems.length})`} />
          {systems.length === 0 ? (
            <EmptyState title="No endpoints recorded yet">Import an OpenAPI document to start.</EmptyState>
          ) : (
            <Table label="Systems with endpoints">
              <THead>
                <tr>
                  <TH>System</TH>
                  <TH className="text-right">Endpoints</TH>
                  <TH className="text-right">Bulk</TH>
                  <TH className="text-right">Live credentials with bulk reach</TH>
                </tr>
              </THead>
              <tbody>
                {systems.map((s) => (
                  <TR key={s.id}>
                    <TD>
                      <Link
                        className="font-medium text-indigo-700 hover:underline"
                        href={`/api-scopes/endpoints?system=${s.id}`}
                      >
                        {s.name}
                      </Link>
                    </TD>
                    <TD className="text-right tabular-nums">{s.endpoints}</TD>
                    <TD className="text-right tabular-nums">{s.bulk}</TD>
                    <TD className="text-right tabular-nums">
                      {s.bulkReach ? (
                        <Link className="text-indigo-700 hover:underline" href={`/api-scopes?system=${s.id}&bulk=bulk`}>
                          {s.bulkReach.toLocaleString("en-US")}
                        </Link>
                      ) : (
                        0
                      )}
                    </TD>
                  </TR>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      ) : null}
    </>
  );
}
