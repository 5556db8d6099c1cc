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
      <BatchLive initial={initial} tz={tz} canManage={can(ctx.actor, "leavers.manage")} />
    </>
  );
}
