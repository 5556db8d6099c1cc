/** A sparkline point as sent to the browser: [day label, value] — compact, as a tile sends 90 of them. */
export type SparkPoint = [string, number];
