"use client";

import { Clock } from "lucide-react";
import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { formatRelative } from "@/lib/time";

/** The SLA as a live countdown: red once breached, amber within the hour, plain otherwise; "met" when closed. */
export function SlaCountdown({
  due,
  closed,
  serverNow,
  compact = false,
}: {
  due: string;
  closed: boolean;
  serverNow: string;
  compact?: boolean;
}) {
  // Start from the server's clock (no hydration mismatch), then tick with the browser's.
  const [now, setNow] = useState(() => new Date(serverNow));
  useEffect(() => {
    setNow(new Date());
    const t = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(t);
  }, []);
  const dueAt = new Date(due);
  const left = dueAt.getTime() - now.getTime();
  if (closed) return <span className="text-xs text-slate-500">closed</span>;
  const breached = left < 0;
  const soon = !breached && left <= 3_600_000;
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 text-xs font-medium tabular-nums",
        breached ? "text-red-700" : soon ? "text-amber-700" : "text-slate-700",
      )}
      title={`SLA due ${dueAt.toISOString().replace("T", " ").slice(0, 16)} UTC`}
    >
      <Clock className="size-3.5 shrink-0" aria-hidden />
      {breached ? (
        <>Breached {compact ? formatRelative(dueAt, now).replace(" ago", "") : formatRelative(dueAt, now)}</>
      ) : (
        <>Due {formatRelative(dueAt, now)}</>
      )}
    </span>
  );
}
