/** Times show in the viewer's zone (from the `tz` cookie the browser sets); exports use UTC. */
export const TZ_COOKIE = "tz";

export function safeTimeZone(tz: string | undefined | null): string {
  if (!tz) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

export function formatDateTime(value: Date | string | null | undefined, tz: string): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(d);
}

export function formatDate(value: Date | string | null | undefined, tz: string): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: value && typeof value === "string" && value.length === 10 ? "UTC" : tz,
    year: "numeric",
    month: "short",
    day: "2-digit",
  }).format(d);
}

/** "3 h ago", "in 12 min": for SLAs and last-used columns. */
export function formatRelative(value: Date | string | null | undefined, now: Date): string {
  if (!value) return "never";
  const d = typeof value === "string" ? new Date(value) : value;
  const diff = d.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000 * 365, "y"],
    [86_400_000 * 30, "mo"],
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
  ];
  for (const [ms, unit] of units) {
    if (abs >= ms) {
      const n = Math.floor(abs / ms);
      return diff < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
    }
  }
  return diff < 0 ? "just now" : "in <1 min";
}

export function timeZoneLabel(tz: string): string {
  return tz === "UTC" ? "UTC" : tz.replace(/_/g, " ");
}

/** The viewer's zone from a raw Cookie header (route handlers), UTC when absent or invalid. */
export function timeZoneFromCookieHeader(header: string | null): string {
  const raw = header?.match(/(?:^|;\s*)tz=([^;]+)/)?.[1];
  return safeTimeZone(raw ? decodeURIComponent(raw) : null);
}

/** The calendar date (YYYY-MM-DD) `days` after `now` in the zone, for a date input's default value. */
export function dateInZone(now: Date, tz: string, days = 0): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(now.getTime() + days * 86_400_000),
  );
}
