import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { loadPolicies } from "@/lib/policies/policies";
import { pageContext } from "@/lib/session";
import { PoliciesForm } from "./_components/policies-form";

export const metadata: Metadata = { title: "Policies" };

const ELSEWHERE = [
  {
    href: "/break-glass/policy",
    title: "Break-glass approval policy",
    text: "Approvals needed, approver groups, how long access and passes last.",
  },
  {
    href: "/reviews/schedules",
    title: "Review cadence",
    text: "Recurring access-review campaigns: quarterly privileged access, yearly the rest, or your own.",
  },
  {
    href: "/factors/import",
    title: "Factor import lifts",
    text: "When an ambiguous vendor method (Okta push, WebAuthn) counts at the stronger reading.",
  },
];

/** The organisation's policies in one form (step-up to save), and links to the policies with screens of their own. */
export default async function PoliciesPage() {
  const ctx = await pageContext("policies.manage");
  const policies = await loadPolicies(ctx);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings", href: "/settings" }, { label: "Policies" }]}
        title="Policies"
        description="Leaver SLAs, credential thresholds, the organisation's time zone and console sessions. Saving needs a passkey sign-in within the last 5 minutes; every changed value is audited with its value before and after."
      />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_20rem]">
        <PoliciesForm initial={policies} timeZones={Intl.supportedValuesOf("timeZone")} />
        <Card className="self-start">
          <CardHeader title="Other policies" description="Each has its own page." />
          <ul className="flex flex-col divide-y divide-slate-100">
            {ELSEWHERE.map((e) => (
              <li key={e.href} className="px-4 py-3">
                <Link href={e.href} className="text-sm font-medium text-indigo-700 hover:underline">
                  {e.title}
                </Link>
                <p className="text-xs text-slate-600">{e.text}</p>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
