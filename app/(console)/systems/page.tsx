import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { humanize } from "@/components/ui/status";
import { connectorKind, systemCategory } from "@/db/schema/enums";
import { can } from "@/lib/authz";
import { queryOf } from "@/lib/input";
import { pageContext } from "@/lib/session";
import { listSystems, systemsListInput, systemTotals } from "@/lib/systems/queries";
import { SystemsTable } from "./_components/systems-table";

export const metadata: Metadata = { title: "Systems" };

export default async function SystemsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("systems.read");
  const params = await searchParams;
  const input = queryOf(systemsListInput, params);
  const [page, totals] = await Promise.all([listSystems(ctx, input), systemTotals(ctx)]);
  const manage = can(ctx.actor, "systems.manage");
  return (
    <>
      <PageHeader
        title="Connected systems"
        description="Every system Lockstep governs, how it acts on each (its connector), and what it holds there. A system without a working connector still gets manual revocation tasks, never a skipped one."
        meta={
          <>
            <Badge>{totals.systems} systems</Badge>
            <Badge tone="warning">{totals.simulated} simulated connectors</Badge>
            <Badge>{totals.manual} manual</Badge>
          </>
        }
        actions={
          manage ? (
            <>
              <ButtonLink href="/settings/provisioning" size="sm">
                Inbound provisioning (SCIM)
              </ButtonLink>
              <ButtonLink href="/systems/new" size="sm" variant="primary">
                Connect a system
              </ButtonLink>
            </>
          ) : null
        }
      />
      <Card>
        <FilterBar
          action="/systems"
          selects={[
            {
              name: "category",
              label: "Category",
              value: input.category,
              options: systemCategory.enumValues.map((c) => ({ value: c, label: humanize(c) })),
            },
            {
              name: "connector",
              label: "Connector",
              value: input.connector,
              options: connectorKind.enumValues.map((c) => ({ value: c, label: humanize(c) })),
            },
          ]}
        />
        <SystemsTable rows={page.items} canManage={manage} />
        <KeysetPager
          basePath="/systems"
          params={params}
          next={page.next}
          prev={page.prev}
          shown={page.items.length}
          noun="systems"
        />
      </Card>
    </>
  );
}
