import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { heatClass, pctText } from "./heat";

/** A count and its share of the row, shaded by share; a link to the people behind it when the viewer may open it. */
export function HeatCell({
  count,
  total,
  href,
  label,
}: {
  count: number;
  total: number;
  href: string | null;
  label: string;
}) {
  const share = total ? count / total : 0;
  const content = (
    <>
      <span className="font-semibold tabular-nums">{count.toLocaleString("en-US")}</span>
      <span className="ml-1 text-[11px] tabular-nums opacity-80">{pctText(count, total)}</span>
    </>
  );
  return (
    <td className={cn("border-b border-l border-white p-0 text-center", heatClass(share))}>
      {href && count > 0 ? (
        <Link
          href={href}
          className="block px-1 py-1.5 hover:underline focus-visible:outline-offset-[-2px]"
          aria-label={`${count} people (${pctText(count, total)}) — ${label}: open the list`}
        >
          {content}
        </Link>
      ) : (
        <span className="block px-1 py-1.5">{content}</span>
      )}
    </td>
  );
}
