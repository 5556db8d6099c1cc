import { Laptop, ShieldAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, StatusBadge } from "@/components/ui/status";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { PersonDetail } from "@/lib/people/person";
import { formatRelative } from "@/lib/time";

export function AccountsSection({
  accounts,
  sessions,
  devices,
  now,
}: {
  accounts: PersonDetail["accounts"];
  sessions: number;
  devices: PersonDetail["devices"];
  tz: string;
  now: Date;
}) {
  const liveDevices = devices.filter((d) => !d.revokedAt);
  const privileged = accounts.reduce((n, a) => n + a.grants.filter((g) => g.privileged).length, 0);
  return (
    <Card>
      <CardHeader
        title={`Accounts (${accounts.length})`}
        description={`${privileged} privileged grant${privileged === 1 ? "" : "s"} · ${sessions} live session${sessions === 1 ? "" : "s"} · ${liveDevices.length} trusted device${liveDevices.length === 1 ? "" : "s"}`}
      />
      {accounts.length === 0 ? (
        <EmptyState title="No accounts on connected systems" />
      ) : (
        <Table label="Accounts per system">
          <THead>
            <tr>
              {/* Three columns: the section has half of a 1280 px screen (acceptance testing found it clipped). */}
              <TH>System and account</TH>
              <TH>Entitlements</TH>
              <TH>Status</TH>
            </tr>
          </THead>
          <tbody>
            {accounts.map((a) => (
              <TR key={a.accountId}>
                <TD>
                  <p className="font-medium">
                    {a.system} <span className="text-xs font-normal text-slate-500">{humanize(a.category)}</span>
                  </p>
                  <p className="font-mono text-xs break-all text-slate-600">{a.username}</p>
                </TD>
                <TD>
                  <div className="flex flex-wrap gap-1">
                    {a.grants.length === 0 ? <span className="text-xs text-slate-400">none</span> : null}
                    {a.grants.map((g) => (
                      // Long entitlement names wrap inside their chip instead of widening the column.
                      <Badge
                        key={g.name}
                        tone={g.privileged ? "warning" : "neutral"}
                        className="whitespace-normal break-words"
                      >
                        {g.privileged ? <ShieldAlert className="size-3" aria-label="privileged" /> : null}
                        {g.name}
                        {g.source === "break_glass" ? " (break-glass)" : ""}
                      </Badge>
                    ))}
                  </div>
                </TD>
                <TD className="text-xs text-slate-600">
                  <StatusBadge status={a.status} />
                  <p className="mt-0.5 whitespace-nowrap" title="Last login">
                    {formatRelative(a.lastLoginAt, now)}
                  </p>
                </TD>
              </TR>
            ))}
          </tbody>
        </Table>
      )}
      {liveDevices.length ? (
        <div className="border-t border-slate-200 px-4 py-3">
          <p className="mb-1 text-xs font-medium text-slate-500">Trusted devices</p>
          <ul className="flex flex-wrap gap-2">
            {liveDevices.map((d) => (
              <li key={d.id} className="flex items-center gap-1 rounded border border-slate-200 px-2 py-1 text-xs">
                <Laptop className="size-3.5 text-slate-400" aria-hidden /> {d.name} · {humanize(d.platform)}
                {d.managed ? "" : " · unmanaged"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
