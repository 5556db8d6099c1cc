/** A point as charts receive it: the day (UTC), its label in the viewer's zone, the value. */
export type ChartPoint = { day: string; label: string; value: number };
