"use client";

import { Timer } from "lucide-react";
import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";

function left(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h >= 24) return `${Math.floor(h / 24)} d ${h % 24} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  return `${m} min ${String(s % 60).padStart(2, "0")} s`;
}

/**
 * Time left before a deadline (a request lapsing, access ending), ticking every second: amber in the last quarter
 * hour, red in the last five minutes, and `over` once it has passed. Starts from the server's clock so the first
 * render matches.
 */
export function Countdown({
  until,
  serverNow,
  label,
  over,
  className,
}: {
  until: string;
  serverNow: string;
  /** "left", "until it lapses" … */
  label?: string;
  /** Shown once the deadline has passed. */
  over: string;
  className?: string;
}) {
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const ms = new Date(until).getTime() - now;
  const tone =
    ms <= 0
      ? "text-slate-500"
      : ms <= 5 * 60_000
        ? "text-red-700"
        : ms <= 15 * 60_000
          ? "text-amber-700"
          : "text-slate-800";
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 text-xs font-medium whitespace-nowrap tabular-nums",
        tone,
        className,
      )}
      title={`${new Date(until).toISOString().replace("T", " ").slice(0, 16)} UTC`}
      data-testid="countdown"
    >
      <Timer className="size-3.5 shrink-0" aria-hidden />
      {ms <= 0 ? over : `${left(ms)}${label ? ` ${label}` : ""}`}
    </span>
  );
}
