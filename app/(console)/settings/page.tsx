import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can, type Permission } from "@/lib/authz";
import { pageContext } from "@/lib/session";

export const metadata: Metadata = { title: "Settings" };

const PAGES: { href: string; title: string; text: string; permission: Permission }[] = [
  {
    href: "/settings/roles",
    title: "Console roles",
    text: "Who may use Lockstep, and as what. Removing a role signs the person out at once.",
    permission: "roles.manage",
  },
  {
    href: "/systems",
    title: "Connected systems",
    text: "Connect a system, set its connector (SCIM, OAuth, webhook), test the connection.",
    permission: "systems.manage",
  },
  {
    href: "/settings/policies",
    title: "Policies",
    text: "Leaver SLAs, credential rotation and staleness, time zone, console sessions.",
    permission: "policies.manage",
  },
  {
    href: "/break-glass/policy",
    title: "Break-glass policy",
    text: "Approvals, approver groups and durations of emergency access and recovery.",
    permission: "policies.manage",
  },
  {
    href: "/reviews/schedules",
    title: "Review cadence",
    text: "Recurring access-review campaigns and how often they launch.",
    permission: "reviews.manage",
  },
  {
    href: "/settings/provisioning",
    title: "Inbound provisioning (SCIM)",
    text: "Tokens for your identity provider to create and deactivate people here.",
    permission: "systems.manage",
  },
];

/** The administrator's starting point: every page that configures the installation. */
export default async function SettingsPage() {
  const ctx = await pageContext("policies.manage");
  return (
    <>
      <PageHeader title="Settings" description="Connect systems, set policies and decide who may use the console." />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {PAGES.filter((p) => can(ctx.actor, p.permission)).map((p) => (
          <Card key={p.href} className="p-4">
            <Link href={p.href} className="text-sm font-semibold text-indigo-700 hover:underline">
              {p.title}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{p.text}</p>
          </Card>
        ))}
      </div>
    </>
  );
}
