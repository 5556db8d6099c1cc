import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { CredentialDetail } from "@/lib/api-scopes/credential";
import { formatDateTime } from "@/lib/time";

const DOT: Record<string, string> = {
  created: "bg-slate-400",
  rotated: "bg-sky-500",
  used: "bg-emerald-500",
  scope_used: "bg-emerald-300",
  expires: "bg-amber-500",
  revoked: "bg-red-600",
  audit: "bg-indigo-500",
};

/** Lifecycle, per-scope use and every audited change, newest first, in the viewer's time zone. */
export function TimelineSection({ entries, tz }: { entries: CredentialDetail["timeline"]; tz: string }) {
  return (
    <Card>
      <CardHeader title="Usage and history" description="From the issuer's usage reports and Lockstep's audit log" />
      <ol className="px-4 py-3" aria-label="Usage timeline">
        {entries.map((e) => (
          <li key={e.key} className="relative flex gap-3 pb-3 last:pb-0">
            <span className={cn("mt-1.5 size-2 shrink-0 rounded-full", DOT[e.kind])} aria-hidden />
            <div className="min-w-0 text-sm">
              <p className="text-slate-900">
                {e.kind === "audit" ? <code className="text-xs">{e.label}</code> : e.label}
                {e.actor ? <span className="text-xs text-slate-500"> by {e.actor}</span> : null}
              </p>
              <p className="text-xs text-slate-500">
                <time dateTime={e.at}>{formatDateTime(e.at, tz)}</time>
                {e.detail ? ` · ${e.detail}` : null}
              </p>
            </div>
          </li>
        ))}
      </ol>
    </Card>
  );
}
