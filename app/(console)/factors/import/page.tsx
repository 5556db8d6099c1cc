import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/authz";
import { entraFactorsImport } from "@/lib/factors/import/entra";
import { oktaFactorsImport } from "@/lib/factors/import/okta";
import { loadLiftSettings } from "@/lib/factors/lift-settings";
import { type FactorSource, SOURCE_LABELS } from "@/lib/factors/vendor-mapping";
import { formatBytes } from "@/lib/imports/format";
import { pageContext } from "@/lib/session";
import { FactorImportFlow } from "./_components/factor-import-flow";
import { LiftSettingsForm } from "./_components/lift-settings-form";
import { MappingTable } from "./_components/mapping-table";

export const metadata: Metadata = { title: "Import factors" };

const KINDS = { entra: entraFactorsImport, okta: oktaFactorsImport } as const;

export default async function FactorImportPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("factors.manage");
  const source: FactorSource = (await searchParams).source === "okta" ? "okta" : "entra";
  const settings = await loadLiftSettings(ctx.db);
  const kind = KINDS[source];
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Factors", href: "/factors" }, { label: "Import factors" }]}
        title="Import factors from your identity provider"
        description="Bring each person's enrolled methods in from an export. You see every person, what their methods count as and what changes before anything is written; confirming writes all of it in one transaction, and the heatmaps follow at once."
      />
      <nav aria-label="Identity provider" className="mb-4 flex gap-2">
        {(Object.keys(KINDS) as FactorSource[]).map((s) => (
          <Link
            key={s}
            href={s === "entra" ? "/factors/import" : `/factors/import?source=${s}`}
            aria-current={s === source ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ${s === source ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            {SOURCE_LABELS[s]}
          </Link>
        ))}
      </nav>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_340px]">
        <FactorImportFlow
          key={source}
          kind={kind.kind}
          maxBytes={kind.maxBytes}
          accept={source === "entra" ? ".json,.csv,application/json,text/csv" : ".json,application/json"}
        />
        <Card>
          <CardBody className="text-sm text-slate-700">
            <h2 className="mb-2 text-sm font-semibold text-slate-900">File format</h2>
            {source === "entra" ? (
              <>
                <p className="mb-2">
                  The Graph list{" "}
                  <code className="text-xs">GET /reports/authenticationMethods/userRegistrationDetails</code> saved as
                  JSON (the <code className="text-xs">{'{ "value": [...] }'}</code> page or a plain array), or the same
                  details as CSV with <code className="text-xs">userPrincipalName</code> and{" "}
                  <code className="text-xs">methodsRegistered</code> columns (methods separated by commas).
                </p>
                <p className="mb-2 text-xs text-slate-500">
                  People are matched by UPN against each person&apos;s login or email; guests also by the address their
                  UPN was made from. <code>isSsprCapable</code> decides whether phone, email and app also count as
                  recovery paths.
                </p>
              </>
            ) : (
              <>
                <p className="mb-2">
                  Okta&apos;s List Factors responses (
                  <code className="text-xs">GET /api/v1/users/{"{id}"}/factors</code>) collected into one JSON file: an
                  array of users with their factors (
                  <code className="text-xs">{'[{ "login": "…", "factors": [ … ] }]'}</code>) or an object keyed by
                  login.
                </p>
                <p className="mb-2 text-xs text-slate-500">
                  Only ACTIVE factors count; the others are listed with their status. People are matched by login, then
                  email.
                </p>
              </>
            )}
            <p className="text-xs text-slate-500">
              Up to {formatBytes(kind.maxBytes)}, read as it arrives. Any record that cannot be read blocks the whole
              file, with its line and JSON pointer. People not in the file keep their factors; a person&apos;s factors
              from this provider that the file no longer lists are revoked. Importing the same file again changes
              nothing.
            </p>
          </CardBody>
        </Card>
      </div>
      <div className="mt-6 flex flex-col gap-6">
        {source === "okta" ? (
          <LiftSettingsForm settings={settings} canEdit={can(ctx.actor, "policies.manage")} />
        ) : null}
        <MappingTable source={source} settings={settings} />
      </div>
    </>
  );
}
