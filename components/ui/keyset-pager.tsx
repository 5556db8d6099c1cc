import { ChevronLeft, ChevronRight } from "lucide-react";
import { buttonClasses } from "./button";

/** "identities" → "identity", "cases" → "case". */
function singular(plural: string): string {
  return plural.endsWith("ies") ? `${plural.slice(0, -3)}y` : plural.replace(/s$/, "");
}

/** Prev/next links that keep the current filters and swap the cursor. */
export function KeysetPager({
  basePath,
  params,
  next,
  prev,
  shown,
  noun = "rows",
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  next: string | null;
  prev: string | null;
  shown: number;
  noun?: string;
}) {
  const href = (cursor: Record<string, string>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== "after" && k !== "before") q.set(k, v);
    for (const [k, v] of Object.entries(cursor)) q.set(k, v);
    return `${basePath}?${q.toString()}`;
  };
  const disabled = "pointer-events-none opacity-40";
  return (
    <nav
      aria-label="Pagination"
      className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-xs text-slate-500"
    >
      <span>
        Showing {shown.toLocaleString("en-US")} {shown === 1 ? singular(noun) : noun}
      </span>
      <div className="flex gap-2">
        <a
          href={prev ? href({ before: prev }) : undefined}
          aria-disabled={!prev}
          className={buttonClasses("secondary", "sm", prev ? "" : disabled)}
          rel="prev"
        >
          <ChevronLeft className="size-3.5" aria-hidden /> Previous
        </a>
        <a
          href={next ? href({ after: next }) : undefined}
          aria-disabled={!next}
          className={buttonClasses("secondary", "sm", next ? "" : disabled)}
          rel="next"
        >
          Next <ChevronRight className="size-3.5" aria-hidden />
        </a>
      </div>
    </nav>
  );
}
