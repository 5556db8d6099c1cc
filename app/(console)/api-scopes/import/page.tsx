import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CLASS_HINTS } from "@/lib/api-scopes/openapi/classify";
import { importTargets, openApiImport } from "@/lib/api-scopes/openapi/import";
import { pageContext } from "@/lib/session";
import { ApiScopesNav } from "../_components/sub-nav";
import { ImportForm } from "./_components/import-form";

export const metadata: Metadata = { title: "OpenAPI import" };

export default async function ImportPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("api_scopes.manage");
  const systems = await importTargets(ctx);
  const preselect = Number((await searchParams).system) || undefined;
  return (
    <>
      <PageHeader
        title="Import an OpenAPI document"
        description="Record a system's endpoints from its OpenAPI 3 document (JSON or YAML): what each scope reaches, which endpoints return records in bulk, and what data they carry. You see the changes before anything is written."
      />
      <ApiScopesNav current="/api-scopes/import" canManage />
      <div className="grid gap-6 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <ImportForm systems={systems} preselect={preselect} maxBytes={openApiImport.maxBytes} />
        </div>
        <Card className="self-start">
          <CardHeader title="How the document is read" />
          <div className="space-y-2 px-4 py-3 text-xs text-slate-600">
            <p>
              <strong>Scope sets</strong>: from the operation&apos;s <code>security</code> (else the document&apos;s).
              Each requirement object is one set and a credential needs every scope in it (OAuth2 / OpenID Connect
              scopes; API-key and HTTP schemes: the scheme&apos;s name); separate objects are alternatives. Operations
              without security are skipped (nobody&apos;s scope is needed).
            </p>
            <p>
              <strong>Bulk</strong>: the success response is a collection <em>and</em> the operation takes a paging
              parameter (limit, page_size, per_page, cursor, page, offset…) — records per call: the size
              parameter&apos;s <code>maximum</code>; or it takes many identifiers in one call (an array parameter, a
              comma-separated list, a body array) and returns people — records per call: the input&apos;s{" "}
              <code>maxItems</code>; or it looks people up by email or phone (a <strong>contact lookup</strong>, the
              enumeration risk), however few records one call returns. The preview says what the records are (people,
              messages, posts, other).
            </p>
            <p>
              <strong>Data classes</strong>: <code>x-data-classes</code> on the operation when present, else words found
              in the path, operationId, summary, tags and response property names (paging tokens are not credentials).
              Records that are not people lose <strong>pii</strong> unless they carry contact fields; messages are{" "}
              <strong>private_messages</strong>:
            </p>
            <ul className="list-disc space-y-0.5 pl-4">
              {CLASS_HINTS.map((h) => (
                <li key={h.dataClass}>
                  <strong>{h.dataClass}</strong>: {h.examples}
                </li>
              ))}
            </ul>
            <p>
              Everything stays editable afterwards on the Endpoints page. Only local <code>$ref</code>s are followed;
              Swagger 2.0 must be converted first.
            </p>
          </div>
        </Card>
      </div>
    </>
  );
}
