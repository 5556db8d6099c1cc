import type { Metadata } from "next";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/authz";
import { kindOf } from "@/lib/imports";
import { listMappings } from "@/lib/imports/mappings";
import { pageContext } from "@/lib/session";
import { listSystems, systemsListInput } from "@/lib/systems/queries";
import { MappedImportFlow } from "./_components/mapped-import-flow";

export const metadata: Metadata = { title: "Import a file" };

/** The kinds read through a column mapping, in the order the page offers them. */
const MAPPED = ["accounts_csv", "credentials", "hr_people", "hr_leavers"] as const;

export default async function ImportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("imports.run");
  const mine = MAPPED.filter((k) => can(ctx.actor, kindOf(k).permission));
  const asked = (await searchParams).kind;
  const kind = mine.find((k) => k === asked) ?? mine[0];
  const [mappings, systems] = await Promise.all([
    listMappings(ctx, { kind }),
    can(ctx.actor, "systems.read") ? listSystems(ctx, systemsListInput.parse({ limit: 500 })) : null,
  ]);
  const k = kindOf(kind);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Import a file" }]}
        title="Import a file"
        description="Accounts of systems without SCIM, credentials, HR rosters (joiners, movers, leavers) and HR leaver files — each read through a column mapping saved per source. You see every row with its line and what will happen to it before anything is written; confirming writes all of it in one transaction."
      />
      <nav aria-label="Kind of file" className="mb-4 flex gap-2">
        {mine.map((m) => (
          <a
            key={m}
            href={`/imports?kind=${m}`}
            aria-current={m === kind ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ${m === kind ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            {kindOf(m).label}
          </a>
        ))}
      </nav>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_340px]">
        <MappedImportFlow
          key={kind}
          kind={kind}
          label={k.label}
          maxBytes={k.maxBytes}
          fields={[...mappings.fields]}
          mappings={mappings.mappings}
          systems={(systems?.items ?? []).map((s) => ({ id: s.id, name: s.name }))}
          needsSystem={kind === "accounts_csv" ? "required" : kind === "credentials" ? "optional" : "none"}
        />
        <Card>
          <CardBody className="text-sm text-slate-700">
            <h2 className="mb-2 text-sm font-semibold text-slate-900">Columns</h2>
            <ul className="list-disc space-y-1 pl-5 text-xs">
              {mappings.fields.map((f) => (
                <li key={f.name}>
                  <code>{f.name}</code> — {f.label}
                  {f.required ? " (required)" : f.oneOf ? ` (${f.oneOf}: one of them)` : ""}
                  {f.aliases?.length ? <span className="text-slate-500"> · also: {f.aliases.join(", ")}</span> : null}
                </li>
              ))}
            </ul>
            <p className="mt-3 text-xs text-slate-500">
              Headers named as a field (or one of its other names) need no mapping. Choose a preset or a saved mapping,
              or map the columns of your file below and save them under the source&apos;s name. The same import runs
              from the command line: <code>npm run import -- {kind} &lt;file&gt; --mapping &quot;name&quot;</code>.
            </p>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
