"use client";

import {
  Braces,
  FileUp,
  Gauge,
  KeyRound,
  ListChecks,
  type LucideIcon,
  ScrollText,
  Server,
  Settings,
  Siren,
  UserMinus,
  Users,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const ICONS: Record<string, LucideIcon> = {
  gauge: Gauge,
  users: Users,
  "user-minus": UserMinus,
  "key-round": KeyRound,
  braces: Braces,
  "list-checks": ListChecks,
  siren: Siren,
  "scroll-text": ScrollText,
  server: Server,
  "file-up": FileUp,
  settings: Settings,
};

export function Sidebar({ items }: { items: { href: string; label: string; icon: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 px-2">
      {items.map((item) => {
        const Icon = ICONS[item.icon] ?? Gauge;
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors",
              active ? "bg-slate-800 text-white" : "text-slate-300 hover:bg-slate-800/60 hover:text-white",
            )}
          >
            <Icon className="size-4 shrink-0" aria-hidden />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
