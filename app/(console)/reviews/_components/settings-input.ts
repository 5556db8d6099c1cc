import type { Settings } from "./settings-fields";

/** The form's settings as an action's input: empty scope lists and unset flags left out. */
export function settingsInput(s: Settings) {
  const scope = Object.fromEntries(
    Object.entries(s.scope).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v === true)),
  ) as Settings["scope"];
  return {
    kind: s.kind,
    scope,
    noResponsePolicy: s.noResponsePolicy,
    stages: s.stages,
    fallbackReviewerId: s.fallback?.id ?? 0,
    reminderEveryDays: s.reminderEveryDays,
    rollbackDays: s.rollbackDays,
  };
}

/** A date picked in the viewer's calendar at a time of that day in their zone, as ISO with offset. */
export function atLocalTime(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const d = new Date(`${date}T${time}:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A due date: the end of the picked day. */
export const endOfDay = (date: string) => atLocalTime(date, "23:59");
