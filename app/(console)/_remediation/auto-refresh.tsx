"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While tasks are queued or running, re-render the page every few seconds so their outcome appears. */
export function AutoRefresh({ active, everyMs = 2500 }: { active: boolean; everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs, router]);
  return null;
}
