import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/authz";
import { emergencyEntitlements, requestFormContext } from "@/lib/break-glass/queries";
import { pageContext } from "@/lib/session";
import { RequestForm } from "../_components/request-form";

export const metadata: Metadata = { title: "Request break-glass" };

export default async function NewRequestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext("break_glass.request");
  // Drills are the administrators' (they prove the flow works before anyone needs it).
  const drill = (await searchParams).drill === "1" && can(ctx.actor, "policies.manage");
  const [form, entitlements] = await Promise.all([
    requestFormContext(ctx),
    drill ? Promise.resolve([]) : emergencyEntitlements(ctx),
  ]);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Break-glass", href: "/break-glass" }, { label: drill ? "Recovery drill" : "New request" }]}
        title={drill ? "Run a recovery drill" : "Request break-glass"}
        description={
          drill
            ? "A drill runs the real approval flow and issues an enrolment pass for a test subject, then voids it: nothing is granted. The time to approval is recorded and shown on the dashboard."
            : `Two approvers other than you, the subject and the subject's managers decide; an unapproved request lapses after ${form.policy.requestTtlMinutes} minutes. Everything is in the audit log.`
        }
      />
      <RequestForm
        me={{ id: ctx.actor.id ?? 0, name: ctx.actor.name, strength: form.strength }}
        policy={{
          maxDurationMinutes: form.policy.maxDurationMinutes,
          passLifetimeMinutes: form.policy.passLifetimeMinutes,
          requiredApprovals: form.policy.requiredApprovals,
        }}
        entitlements={entitlements}
        canRequestFor={can(ctx.actor, "break_glass.request_for")}
        drill={drill}
      />
    </>
  );
}
