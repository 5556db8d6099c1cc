import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { CredentialDetail } from "@/lib/api-scopes/credential";
import { formatDateTime, formatRelative } from "@/lib/time";

/** Each scope the credential holds, its last use, and the endpoints it opens (bulk ones marked). */
export function ScopesSection({ detail, tz, now }: { detail: CredentialDetail; tz: string; now: Date }) {
  const { scopes, system } = detail;
  return (
    <Card>
      <CardHeader
        title={`Scopes and what they reach (${scopes.length})`}
        description={`Endpoints on ${system.name} each scope opens; weight = data-class weight × volume.`}
      />
      {scopes.length === 0 ? (
        <EmptyState title="No scopes">
          This kind of credential (e.g. an SSH key) carries no API scopes: its reach is the account it unlocks.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {scopes.map((s) => (
            <li key={s.scope} className="px-4 py-3" data-testid={`scope-${s.scope}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-800">
                  {s.scope}
                </code>
                <span className="text-xs text-slate-500">
                  {s.lastUsedAt ? (
                    <>
                      last used{" "}
                      <time dateTime={s.lastUsedAt.toISOString()} title={formatDateTime(s.lastUsedAt, tz)}>
                        {formatRelative(s.lastUsedAt, now)}
                      </time>
                    </>
                  ) : detail.usageKnown ? (
                    <span className="font-medium text-amber-700">never used</span>
                  ) : (
                    "no per-scope usage reported"
                  )}
                </span>
              </div>
              {s.endpoints.length === 0 ? (
                <p className="mt-1 text-xs text-slate-500">Reaches no recorded endpoint of {system.name}.</p>
              ) : (
                <table className="mt-2 w-full text-xs">
                  <tbody>
                    {s.endpoints.map((e) => (
                      <tr key={e.id} className="border-t border-slate-50">
                        <td className="py-1 pr-2 font-mono whitespace-nowrap">
                          <span className="mr-1.5 inline-block w-12 font-semibold text-slate-500">{e.method}</span>
                          <Link
                            className="text-indigo-700 hover:underline"
                            href={`/api-scopes?endpoint=${e.id}`}
                            title="Every credential that can call it"
                          >
                            {e.path}
                          </Link>
                        </td>
                        <td className="py-1 pr-2">
                          {e.bulk ? (
                            <Badge tone="danger">
                              bulk{e.maxRecordsPerCall ? ` ≤${e.maxRecordsPerCall.toLocaleString("en-US")}/call` : ""}
                            </Badge>
                          ) : (
                            <span className="text-slate-400">single record</span>
                          )}
                        </td>
                        <td className="py-1 pr-2">
                          {e.dataClasses.length ? (
                            e.dataClasses.join(", ")
                          ) : (
                            <span className="text-slate-400">unclassified</span>
                          )}
                        </td>
                        <td className="py-1 text-right tabular-nums text-slate-600" title="Weight in the blast radius">
                          {e.weight}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
