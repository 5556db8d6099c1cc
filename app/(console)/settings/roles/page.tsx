import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/authz";
import { listConsoleRoleHolders } from "@/lib/console-roles/queries";
import { pageContext } from "@/lib/session";
import { formatDateTime } from "@/lib/time";
import { viewerTimeZone } from "@/lib/viewer";
import { GrantRole, RemoveRole } from "./_components/role-forms";

const ROLE_SUMMARY: Record<Role, string> = {
  analyst: "Works leaver cases, factors, API scopes, imports and review campaigns; reads the audit log.",
  manager: "Decides their team's access reviews; sees their own team only.",
  approver: "Approves or denies break-glass requests (two distinct approvers each time).",
  executive: "Reads the risk dashboard: aggregates only, never a person's record.",
  admin: "Everything but approving break-glass: systems, policies and console roles.",
};

export const metadata: Metadata = { title: "Console roles" };

/** Who may use the console and as what: grant or remove roles (passkey step-up; audited; removal ends sessions). */
export default async function ConsoleRolesPage() {
  const ctx = await pageContext("roles.manage");
  const [holders, tz] = await Promise.all([listConsoleRoleHolders(ctx), viewerTimeZone()]);
  const activeAdmins = holders.filter((h) => h.status === "active" && h.roles.some((r) => r.role === "admin")).length;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings", href: "/settings" }, { label: "Console roles" }]}
        title="Console roles"
        description="Who may use Lockstep, and as what. Roles come from here only, never from the identity provider. A change takes effect at once: removing a role signs the person out of every session. Each change needs a passkey sign-in within the last 5 minutes and is audited."
        meta={
          <>
            <Badge>
              {holders.length} console user{holders.length === 1 ? "" : "s"}
            </Badge>
            <Badge tone={activeAdmins <= 1 ? "warning" : "neutral"}>
              {activeAdmins} active administrator{activeAdmins === 1 ? "" : "s"}
            </Badge>
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card>
          <CardHeader
            title="People with console access"
            description="The last active administrator keeps the role: give it to someone else first."
          />
          <Table label="Console users">
            <THead>
              <tr>
                <TH>Person</TH>
                <TH>Roles</TH>
                <TH>Sessions</TH>
              </tr>
            </THead>
            <tbody>
              {holders.map((h) => (
                <TR key={h.id} className={h.status === "active" ? undefined : "text-slate-500"}>
                  <TD className="align-top">
                    <div className="font-medium text-slate-900">{h.name}</div>
                    <div className="text-xs text-slate-500">
                      {[h.title, h.department].filter(Boolean).join(" · ") || h.email}
                    </div>
                    {h.status === "active" ? null : (
                      <Badge className="mt-1" tone="warning">
                        {h.status}: no console access
                      </Badge>
                    )}
                  </TD>
                  <TD className="align-top">
                    <ul className="flex flex-col gap-1" aria-label={`Roles of ${h.name}`}>
                      {h.roles.map((r) => (
                        <li key={r.role} className="flex items-center justify-between gap-3">
                          <span
                            className="text-sm"
                            title={`Granted ${formatDateTime(r.grantedAt, tz)}${r.grantedBy ? ` by ${r.grantedBy}` : ""}`}
                          >
                            <Badge tone={r.role === "admin" ? "violet" : "info"}>{ROLE_LABELS[r.role]}</Badge>
                          </span>
                          <RemoveRole
                            identityId={h.id}
                            name={h.name}
                            role={r.role}
                            roleLabel={ROLE_LABELS[r.role]}
                            lastAdmin={r.role === "admin" && h.status === "active" && activeAdmins <= 1}
                          />
                        </li>
                      ))}
                    </ul>
                  </TD>
                  <TD className="align-top text-xs text-slate-600">
                    {h.liveSessions === 0 ? "None live" : `${h.liveSessions} live`}
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        </Card>
        <div className="flex flex-col gap-4">
          <GrantRole roles={ROLES.map((r) => ({ role: r, label: ROLE_LABELS[r] }))} />
          <Card>
            <CardHeader title="What each role may do" />
            <dl className="flex flex-col gap-2 px-4 py-3 text-xs">
              {ROLES.map((r) => (
                <div key={r}>
                  <dt className="font-medium text-slate-800">{ROLE_LABELS[r]}</dt>
                  <dd className="text-slate-600">{ROLE_SUMMARY[r]}</dd>
                </div>
              ))}
            </dl>
          </Card>
        </div>
      </div>
    </>
  );
}
