import Link from "next/link";
import { cn } from "@/components/ui/cn";

/** A switch as links (the state lives in the URL): one option is current. */
export function Segmented({
  label,
  options,
}: {
  label: string;
  options: { label: string; href: string; current: boolean; disabled?: boolean }[];
}) {
  return (
    <fieldset className="flex min-w-0 rounded-md border border-slate-200 bg-white p-0.5" aria-label={label}>
      {options.map((o) =>
        o.disabled ? (
          <span
            key={o.label}
            className="cursor-not-allowed rounded px-2.5 py-1 text-xs font-medium text-slate-300"
            aria-disabled
          >
            {o.label}
          </span>
        ) : (
          <Link
            key={o.label}
            href={o.href}
            aria-current={o.current ? "true" : undefined}
            className={cn(
              "rounded px-2.5 py-1 text-xs font-medium whitespace-nowrap",
              o.current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100",
            )}
          >
            {o.label}
          </Link>
        ),
      )}
    </fieldset>
  );
}
