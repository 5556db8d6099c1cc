import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { approverPoolHealth } from "@/lib/break-glass/detail";
import { readBreakGlassPolicy } from "@/lib/break-glass/queries";
import { listDepartments } from "@/lib/people/queries";
import { pageContext } from "@/lib/session";
import { PolicyForm } from "../_components/policy-form";

export const metadata: Metadata = { title: "Break-glass policy" };

export default async function BreakGlassPolicyPage() {
  const ctx = await pageContext("policies.manage");
  const [policy, health, departments] = await Promise.all([
    readBreakGlassPolicy(ctx),
    approverPoolHealth(ctx),
    listDepartments(ctx),
  ]);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Break-glass", href: "/break-glass" }, { label: "Policy" }]}
        title="Break-glass approval policy"
        description="Who must approve, and how long things last. Changes apply to requests made after saving; saving needs a passkey sign-in within the last 5 minutes and is audited with the policy before and after."
      />
      <PolicyForm initial={policy} health={health} departments={departments} />
    </>
  );
}
