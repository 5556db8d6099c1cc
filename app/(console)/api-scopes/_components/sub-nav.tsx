import Link from "next/link";
import { cn } from "@/components/ui/cn";

const TABS = [
  { href: "/api-scopes", label: "Inventory" },
  { href: "/api-scopes/endpoints", label: "Endpoints" },
  { href: "/api-scopes/import", label: "OpenAPI import", manage: true },
] as const;

/** The three views of the area, as tabs under the page header. */
export function ApiScopesNav({
  current,
  canManage,
}: {
  current: "/api-scopes" | "/api-scopes/endpoints" | "/api-scopes/import";
  canManage: boolean;
}) {
  return (
    <nav aria-label="API scopes views" className="mb-4 flex gap-1 border-b border-slate-200">
      {TABS.filter((t) => !("manage" in t) || canManage).map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
            t.href === current
              ? "border-indigo-600 text-indigo-700"
              : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
