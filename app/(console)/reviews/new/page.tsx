import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { campaignScopeOptions } from "@/lib/reviews/queries";
import { pageContext } from "@/lib/session";
import { dateInZone } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { CampaignForm } from "./_components/campaign-form";

export const metadata: Metadata = { title: "New review campaign" };

export default async function NewCampaignPage() {
  const ctx = await pageContext("reviews.manage");
  const [options, tz] = await Promise.all([campaignScopeOptions(ctx), viewerTimeZone()]);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Access reviews", href: "/reviews" }, { label: "New campaign" }]}
        title="New campaign"
        description="Choose what to review and who decides. The preview counts what the scope yields before anything is sent."
      />
      <CampaignForm
        options={options}
        me={{ id: ctx.actor.id ?? 0, name: ctx.actor.name }}
        defaultDue={dateInZone(ctx.now, tz, 14)}
      />
    </>
  );
}
