import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/authz";
import { batchProgress } from "@/lib/leavers/batch";
import { caseInput } from "@/lib/leavers/schemas";
import { orNotFound, pageContext } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { BatchLive } from "./_components/batch-live";

export const metadata: Metadata = { title: "Leaver batch" };

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = caseInput.safeParse({ caseId: (await params).id });
  if (!parsed.success) notFound();
  const ctx = await pageContext("leavers.read");
  const initial = await orNotFound(batchProgress(ctx, parsed.data.caseId));
  const tz = await viewerTimeZone();
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Leavers", href: "/leavers" }, { label: "Batches" }, { label: `#${initial.id}` }]}
        title={initial.name}
        description={`${initial.rowCount.toLocaleString("en-US")} rows${initial.fileName ? ` from ${initial.fileName}` : ""} · imported ${formatDateTime(initial.createdAt, tz)}${initial.createdBy ? ` by ${initial.createdBy}` : ""}`}
        actions={<ButtonLink href={`/leavers?batch=${initial.id}&status=all`}>Open the batch in the queue</ButtonLink>}
      />
      {initial.notImported ? (
        <p
          className="mb-4 flex flex-wrap items-center gap-2 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900"
          data-testid="rows-not-imported"
        >
          {initial.notImported.rows.toLocaleString("en-US")} row{initial.notImported.rows === 1 ? "" : "s"} of the file
          opened no case (errors, duplicates, people who already had one).
          <a
            href={`/api/imports/${initial.notImported.runId}/report`}
            className="font-medium text-indigo-700 hover:underline"
            download
          >
            Download the error report (CSV, UTC)
          </a>
        </p>
      ) : null}
      <BatchLive initial={initial} tz={tz} canManage={can(ctx.actor, "leavers.manage")} />
    </>
  );
}
