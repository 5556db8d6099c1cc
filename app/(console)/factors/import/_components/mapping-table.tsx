import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { StrengthBadge } from "@/components/ui/strength-badge";
import {
  type FactorSource,
  LIFT_SETTINGS,
  type LiftSettings,
  mappingRows,
  SOURCE_LABELS,
  VENDOR_METHODS,
} from "@/lib/factors/vendor-mapping";

/**
 * The vendor mapping as the import applies it (lib/factors/vendor-mapping.ts, the same table as
 * docs/FACTOR-IMPORTS.md): each method, what it counts as, for which use, at what strength, and — for ambiguous
 * ones — what the organisation's setting lifts it to and whether that setting is on.
 */
export function MappingTable({ source, settings }: { source: FactorSource; settings: LiftSettings }) {
  const rows = mappingRows(source);
  return (
    <Card>
      <CardHeader
        title={`How ${SOURCE_LABELS[source]} methods count`}
        description="Every method the export may name. A name not in this table is listed in the preview as unknown and counts for nothing; ambiguous methods count at the weaker reading unless a setting below lifts them."
      />
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label={`${SOURCE_LABELS[source]} method mapping`}>
          <thead className="bg-slate-50 text-xs text-slate-500">
            <tr>
              {["Vendor method", "Counts as", "Use", "Strength", "Why"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const lift = VENDOR_METHODS.find((v) => v.source === source && v.method === r.method)?.lift;
              const on = lift ? settings[lift.setting] : false;
              return (
                <tr key={r.method} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-2">
                    <code className="text-xs">{r.method}</code>
                    <span className="block text-xs text-slate-500">{r.label}</span>
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {r.counts}
                    {lift ? (
                      <span className="mt-1 block">
                        <Badge tone={on ? "success" : "neutral"}>
                          {on ? "Lifted" : "Conservative"}: {LIFT_SETTINGS[lift.setting].label} is {on ? "on" : "off"}
                        </Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{r.usages || "—"}</td>
                  <td className="px-3 py-2">
                    <div className="flex flex-col gap-1">
                      {r.primary !== null ? <StrengthBadge strength={r.primary} /> : null}
                      {r.recovery !== null && r.recovery !== r.primary ? (
                        <span className="text-xs text-slate-500">
                          recovery <StrengthBadge strength={r.recovery} compact />
                        </span>
                      ) : null}
                      {r.primary === null && r.recovery !== null ? <StrengthBadge strength={r.recovery} /> : null}
                      {r.primary === null && r.recovery === null ? (
                        <span className="text-xs text-slate-400">—</span>
                      ) : null}
                      {r.lifted ? (
                        <span className="text-xs text-slate-500">lifted: {r.lifted.split(",")[0]}</span>
                      ) : null}
                    </div>
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">{r.note}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
