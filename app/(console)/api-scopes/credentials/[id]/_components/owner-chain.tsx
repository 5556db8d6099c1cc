import { ArrowDown } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { humanize, StatusBadge } from "@/components/ui/status";
import type { CredentialDetail } from "@/lib/api-scopes/credential";

type Person = NonNullable<CredentialDetail["chain"]["holder"]>;

/** Who presents it → who answers for it → who that person answers to. A break in the chain is the finding. */
export function OwnerChain({
  chain,
  openCase,
}: {
  chain: CredentialDetail["chain"];
  openCase: CredentialDetail["openCase"];
}) {
  return (
    <Card>
      <CardHeader title="Owner chain" description="Holder → accountable owner → the owner's manager" />
      <ol className="flex flex-col items-stretch gap-1 p-4" aria-label="Owner chain">
        <Step
          label="Holder"
          person={chain.holder}
          extra={
            openCase ? (
              <Link href={`/leavers/${openCase.id}`} className="text-xs text-red-700 hover:underline">
                Open leaver case #{openCase.id}
              </Link>
            ) : null
          }
        />
        <ArrowDown className="mx-auto size-4 shrink-0 text-slate-400" aria-hidden />
        {chain.owner ? (
          <Step
            label="Owner"
            person={chain.owner}
            extra={
              <Link href={`/api-scopes?owner=${chain.owner.id}`} className="text-xs text-indigo-700 hover:underline">
                Everything {chain.owner.name} answers for
              </Link>
            }
          />
        ) : (
          <Missing label="Owner" text="No owner recorded: nobody answers for it." />
        )}
        <ArrowDown className="mx-auto size-4 shrink-0 text-slate-400" aria-hidden />
        {chain.manager ? (
          <Step label="Owner's manager" person={chain.manager} />
        ) : (
          <Missing label="Owner's manager" text={chain.owner ? "No manager recorded." : "—"} />
        )}
      </ol>
    </Card>
  );
}

function Step({ label, person, extra }: { label: string; person: Person; extra?: React.ReactNode }) {
  return (
    <li className="rounded-md border border-slate-200 p-2.5">
      <p className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">{label}</p>
      <Link href={`/people/${person.id}`} className="text-sm font-medium text-indigo-700 hover:underline">
        {person.name}
      </Link>
      <p className="mt-0.5 flex flex-wrap items-center gap-1 text-xs text-slate-500">
        {person.kind !== "human" ? <Badge tone="violet">{humanize(person.kind)}</Badge> : person.title}
        {person.status !== "active" ? <StatusBadge status={person.status} /> : null}
      </p>
      {extra ? <div className="mt-1">{extra}</div> : null}
    </li>
  );
}

function Missing({ label, text }: { label: string; text: string }) {
  return (
    <li className="rounded-md border border-dashed border-red-300 bg-red-50/50 p-2.5">
      <p className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">{label}</p>
      <p className="text-sm font-medium text-red-800">{text}</p>
    </li>
  );
}
