import { HEAT_STEPS } from "./heat";

/** The shade key: what a cell's colour means (its number says the same in words). */
export function HeatLegend({ note }: { note?: string }) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-200 px-4 py-2 text-[11px] text-slate-500">
      <span className="font-medium text-slate-600">Share of the row</span>
      <ul className="flex items-center gap-1" aria-label="Cell shading">
        {HEAT_STEPS.map((s) => (
          <li key={s.label} className="flex items-center gap-1">
            <span
              className={`inline-block size-3 rounded-sm ring-1 ring-slate-300 ring-inset ${s.className}`}
              aria-hidden
            />
            {s.label}
          </li>
        ))}
      </ul>
      {note ? <span>{note}</span> : null}
    </div>
  );
}
