import { X } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Card } from "@/components/ui/card";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { credentialKind } from "@/db/schema/enums";
import { loadPolicy } from "@/lib/api-scopes/policy";
import { filterLabels, filterOptions, findingCounts, listInventory } from "@/lib/api-scopes/queries";
import { CREDENTIAL_KIND_LABELS, FINDING_IDS, FINDING_LABELS } from "@/lib/api-scopes/rules";
import { type InventoryInput, inventoryInput } from "@/lib/api-scopes/schemas";
import { can, peopleReach } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { queryOf } from "@/lib/input";
import { pageContext } from "@/lib/session";
import { viewerTimeZone } from "@/lib/viewer";
import { BlastLegend } from "./_components/blast-legend";
import { FindingTiles } from "./_components/finding-tiles";
import { InventorySkeleton } from "./_components/inventory-skeleton";
import { InventoryTable } from "./_components/inventory-table";
import { ApiScopesNav } from "./_components/sub-nav";

export const metadata: Metadata = { title: "API credentials" };

type Search = Record<string, string | undefined>;
const FILTER_KEYS = ["q", "system", "kind", "owner", "department", "finding", "bulk", "endpoint", "status"] as const;

export default async function ApiScopesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("api_scopes.read");
  const params = await searchParams;
  const input = queryOf(inventoryInput, params);
  return (
    <>
      <PageHeader
        title="API credentials"
        description={
          peopleReach(ctx.actor) === "team"
            ? "Tokens, keys and OAuth clients your team holds or answers for, most dangerous first."
            : "Every token, key, OAuth client and service-account key: what it can reach, who holds it and who answers for it — most dangerous first."
        }
      />
      <ApiScopesNav current="/api-scopes" canManage={can(ctx.actor, "api_scopes.manage")} />
      <Suspense key={JSON.stringify(params)} fallback={<InventorySkeleton />}>
        <Inventory ctx={ctx} params={params} input={input} />
      </Suspense>
    </>
  );
}

async function Inventory({ ctx, params, input }: { ctx: Ctx; params: Search; input: InventoryInput }) {
  const policy = await loadPolicy(ctx.db);
  const [page, counts, options, labels, tz] = await Promise.all([
    listInventory(ctx, input, policy),
    findingCounts(ctx, { ...input, finding: undefined }, policy),
    filterOptions(ctx),
    filterLabels(ctx, input),
    viewerTimeZone(),
  ]);
  const filters = Object.fromEntries(
    FILTER_KEYS.flatMap((k) => (input[k] === undefined ? [] : [[k, String(input[k])]])),
  );
  const href = (change: Record<string, string | undefined>) => {
    const q = new URLSearchParams(
      Object.entries({ ...filters, ...change }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return q.size ? `/api-scopes?${q}` : "/api-scopes";
  };
  const exportQuery = new URLSearchParams(filters).toString();
  return (
    <Card>
      <FindingTiles counts={counts} active={input.finding} hrefFor={(finding) => href({ finding })} />
      <BlastLegend policy={policy} />
      {/* Keyed by the filters: a link (a tile, a chip) changes them without remounting the uncontrolled selects. */}
      <FilterBar
        key={exportQuery}
        action="/api-scopes"
        q={input.q}
        searchPlaceholder="Owner: name, email or employee number"
        selects={[
          {
            name: "system",
            label: "Issuer",
            value: input.system,
            options: options.systems.map((s) => ({ value: s.id, label: s.name })),
          },
          {
            name: "kind",
            label: "Kind",
            value: input.kind,
            options: credentialKind.enumValues.map((k) => ({ value: k, label: CREDENTIAL_KIND_LABELS[k] })),
          },
          {
            name: "department",
            label: "Department",
            value: input.department,
            options: options.departments.map((d) => ({ value: d.id, label: `${"\u2003".repeat(d.depth)}${d.name}` })),
          },
          {
            name: "finding",
            label: "Finding",
            value: input.finding,
            options: [
              ...FINDING_IDS.map((f) => ({ value: f, label: FINDING_LABELS[f] })),
              { value: "stale_bulk", label: "Stale with bulk reach" },
            ],
          },
          {
            name: "bulk",
            label: "Bulk reach",
            value: input.bulk,
            options: [
              { value: "bulk", label: "Reaches bulk endpoints" },
              { value: "bulk_pii", label: "Reaches bulk PII" },
              { value: "none", label: "No bulk reach" },
            ],
          },
          {
            name: "status",
            label: "Status",
            value: input.status,
            options: [
              { value: "revoked", label: "Revoked" },
              { value: "expired", label: "Expired" },
              { value: "all", label: "Any status" },
            ],
          },
        ]}
        hidden={{ owner: input.owner, endpoint: input.endpoint }}
        exportHref={`/api/api-scopes/export${exportQuery ? `?${exportQuery}` : ""}`}
      />
      {input.owner || input.endpoint ? (
        <div className="flex flex-wrap gap-2 border-b border-slate-200 px-3 py-2 text-xs">
          {input.owner ? (
            <Chip label={`Owner: ${labels.owner ?? `#${input.owner}`}`} clear={href({ owner: undefined })} />
          ) : null}
          {input.endpoint ? (
            <Chip
              label={`Can call ${labels.endpoint ?? `endpoint #${input.endpoint}`}`}
              clear={href({ endpoint: undefined })}
            />
          ) : null}
        </div>
      ) : null}
      <InventoryTable rows={page.items} now={ctx.now.toISOString()} tz={tz} clearHref="/api-scopes" />
      <KeysetPager
        basePath="/api-scopes"
        params={params}
        next={page.next}
        prev={page.prev}
        shown={page.items.length}
        noun="credentials"
      />
    </Card>
  );
}

function Chip({ label, clear }: { label: string; clear: string }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-2.5 font-medium text-indigo-800 ring-1 ring-indigo-200">
      {label}
      <Link href={clear} aria-label={`Remove filter ${label}`} className="rounded-full p-0.5 hover:bg-indigo-100">
        <X className="size-3" aria-hidden />
      </Link>
    </span>
  );
}
