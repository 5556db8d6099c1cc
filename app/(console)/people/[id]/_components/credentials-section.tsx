import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { humanize, StatusBadge } from "@/components/ui/status";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { PersonDetail } from "@/lib/people/person";
import { formatRelative } from "@/lib/time";

export function CredentialsSection({
  credentials,
  personId,
  now,
}: {
  credentials: PersonDetail["credentials"];
  personId: number;
  tz: string;
  now: Date;
}) {
  return (
    <Card>
      <CardHeader
        title={`Credentials (${credentials.length})`}
        description="API tokens, keys and OAuth clients this identity holds or answers for."
      />
      {credentials.length === 0 ? (
        <EmptyState title="No credentials held or owned" />
      ) : (
        <Table label="Credentials">
          <THead>
            <tr>
              <TH>Credential</TH>
              <TH>Scopes</TH>
              <TH>Role</TH>
              <TH>Last used</TH>
              <TH>Status</TH>
            </tr>
          </THead>
          <tbody>
            {credentials.map((c) => (
              <TR key={c.id}>
                <TD>
                  <p className="font-medium">{c.name}</p>
                  <p className="text-xs text-slate-500">
                    {humanize(c.kind)} · {c.system}
                  </p>
                </TD>
                <TD>
                  <div className="flex max-w-64 flex-wrap gap-1">
                    {c.scopes.slice(0, 4).map((s) => (
                      <code key={s} className="rounded bg-slate-100 px-1 text-[11px]">
                        {s}
                      </code>
                    ))}
                    {c.scopes.length > 4 ? (
                      <span className="text-xs text-slate-500">+{c.scopes.length - 4}</span>
                    ) : null}
                    {c.bulkReach ? <Badge tone="danger">bulk records</Badge> : null}
                  </div>
                </TD>
                <TD className="text-xs">
                  {c.holderId === personId ? (c.ownerId === personId ? "holds + owns" : "holds") : "owns"}
                </TD>
                <TD className="text-xs whitespace-nowrap">{formatRelative(c.lastUsedAt, now)}</TD>
                <TD>
                  <StatusBadge status={c.status} />
                </TD>
              </TR>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
