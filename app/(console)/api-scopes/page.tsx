import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { humanize } from "@/components/ui/status";
import { credentialKind } from "@/db/schema/enums";
import { credentialListInput, listCredentials } from "@/lib/api-scopes/queries";
import { pageContext } from "@/lib/session";
import { CredentialsTable } from "./_components/credentials-table";

export const metadata: Metadata = { title: "API scopes" };

export default async function ApiScopesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const ctx = await pageContext("api_scopes.read");
  const params = await searchParams;
  const input = credentialListInput.parse(params);
  const page = await listCredentials(ctx, input);
  return (
    <>
      <PageHeader
        title="API credentials"
        description="Tokens, keys, OAuth clients and service-account keys: what they can reach, who holds them and who answers for them."
      />
      <Card>
        <FilterBar
          action="/api-scopes"
          selects={[
            { name: "kind", label: "Kind", value: input.kind, options: credentialKind.enumValues.map((k) => ({ value: k, label: humanize(k) })) },
            {
              name: "finding",
              label: "Finding",
              value: input.finding,
              options: [
                { value: "orphaned", label: "Orphaned (owner left or missing)" },
                { value: "stale_bulk", label: "Bulk reach, unused 90 days" },
              ],
            },
          ]}
        />
        <CredentialsTable rows={page.items} now={ctx.now.toISOString()} />
        <KeysetPager basePath="/api-scopes" params={params} next={page.next} prev={page.prev} shown={page.items.length} noun="credentials" />
      </Card>
    </>
  );
}
