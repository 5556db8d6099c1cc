/**
 * Minimal five-field cron matching in UTC (minute hour day-of-month month day-of-week) for the local runner;
 * graphile-worker parses the same patterns itself. Fields: `*`, `*\/n`, `a`, `a-b`, lists of those.
 */
function fieldMatches(field: string, value: number): boolean {
  return field.split(",").some((part) => {
    const [range, stepRaw] = part.split("/");
    const step = stepRaw ? Number(stepRaw) : 1;
    if (range === "*") return value % step === 0;
    const [lo, hi] = range.split("-").map(Number);
    const top = hi ?? lo;
    return value >= lo && value <= top && (value - lo) % step === 0;
  });
}

export function cronMatches(pattern: string, at: Date): boolean {
  const [min, hour, dom, mon, dow] = pattern.trim().split(/\s+/);
  return (
    fieldMatches(min, at.getUTCMinutes()) &&
    fieldMatches(hour, at.getUTCHours()) &&
    fieldMatches(dom, at.getUTCDate()) &&
    fieldMatches(mon, at.getUTCMonth() + 1) &&
    fieldMatches(dow, at.getUTCDay())
  );
}
