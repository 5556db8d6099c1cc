import { Download, Search } from "lucide-react";
import { buttonClasses } from "./button";

export type FilterSelect = {
  name: string;
  label: string;
  value?: string | number;
  options: { value: string | number; label: string }[];
};

/**
 * A GET form: filters live in the URL (shareable, back-button friendly, works without JavaScript).
 * Changing a filter starts again from the first page.
 */
export function FilterBar({
  action,
  q,
  searchPlaceholder,
  selects = [],
  exportHref,
  hidden = {},
}: {
  action: string;
  /** Filters set elsewhere (a link, a chip) that the form must keep when it is submitted. */
  hidden?: Record<string, string | number | undefined>;
  q?: string;
  searchPlaceholder?: string;
  selects?: FilterSelect[];
  exportHref?: string;
}) {
  // <search> is the search landmark itself (role="search" on the form said the same, less directly).
  return (
    <search>
      <form action={action} method="get" className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-3 py-3">
        {Object.entries(hidden).map(([name, value]) =>
          value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
        )}
        {searchPlaceholder !== undefined ? (
          <label className="relative min-w-64 flex-1">
            <span className="sr-only">Search</span>
            <Search
              className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400"
              aria-hidden
            />
            <input
              type="search"
              name="q"
              defaultValue={q}
              placeholder={searchPlaceholder}
              className="h-9 w-full rounded-md border border-slate-300 bg-white pr-3 pl-8 text-sm placeholder:text-slate-400 focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none"
            />
          </label>
        ) : null}
        {selects.map((s) => (
          <label key={s.name} className="flex flex-col gap-0.5">
            <span className="text-[11px] font-medium text-slate-500">{s.label}</span>
            <select
              name={s.name}
              defaultValue={s.value === undefined ? "" : String(s.value)}
              className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm focus:border-indigo-500 focus:ring-1 focus:ring-indigo-500 focus:outline-none"
            >
              <option value="">All</option>
              {s.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="submit" className={buttonClasses("primary", "md")}>
          Apply
        </button>
        {exportHref ? (
          <a href={exportHref} className={buttonClasses("secondary", "md", "ml-auto")} download>
            <Download className="size-4" aria-hidden /> Export CSV
          </a>
        ) : null}
      </form>
    </search>
  );
}
